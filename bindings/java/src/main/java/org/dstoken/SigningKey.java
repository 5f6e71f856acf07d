package org.dstoken;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HS256 signing key: the team's developer key, used as its raw bytes (never
 * base64-decoded). Immutable and thread-safe: one key may sign and verify on any number of
 * threads at once, and they do not contend: a call takes no lock; it counts itself in and out
 * of the key on a counter of its own thread's (see {@code InFlight}), so threads on different
 * cores write different cache lines.
 *
 * <p>Closing: {@link #close()} makes every later use throw {@link IllegalStateException}, waits
 * for the calls already running on other threads (native calls of microseconds) to finish, then
 * wipes and frees the native copy of the key (its HMAC state) before it returns. A call racing
 * {@code close()} either finishes normally or throws {@code IllegalStateException}; it never
 * reads wiped or freed memory. A key never closed is wiped and freed by a {@link Cleaner} once
 * unreachable.
 */
public final class SigningKey implements AutoCloseable {
    /**
     * Wipes and frees the native key: run by close() or by the Cleaner, at most once. Must not
     * refer to the SigningKey.
     */
    private static final class Free implements Runnable {
        private final long handle;
        private volatile boolean done;

        Free(long handle) {
            this.handle = handle;
        }

        @Override
        public void run() {
            Native.keyFree(handle);
            done = true;
            FREED.incrementAndGet(); // once per key, off the hot path (the tests watch it)
        }
    }

    /** How many native keys have been wiped and freed, by close() or the Cleaner (for the tests). */
    static final AtomicLong FREED = new AtomicLong();

    private final long handle;
    private final InFlight calls = new InFlight();
    private final Free freeAction;
    private final Cleaner.Cleanable free;

    private SigningKey(long handle) {
        if (handle == 0) {
            throw new IllegalStateException("SigningKey: the native library returned no handle");
        }
        this.handle = handle;
        this.freeAction = new Free(handle);
        this.free = NativeResource.CLEANER.register(this, freeAction);
    }

    /** Whether the native key has been wiped and freed (for the tests). */
    boolean nativeFreed() {
        return freeAction.done;
    }

    /** Throws if closed: for a method that reports a closed key before its other checks. */
    void checkOpen() {
        if (calls.isClosed()) {
            throw closed();
        }
    }

    private static IllegalStateException closed() {
        return new IllegalStateException("SigningKey is closed");
    }

    /**
     * Starts a native call with this key: until {@link #exit(int)}, {@link #handle()} is valid
     * and {@link #close()} waits. Use as {@code int s = key.enter(); try { ... key.handle() ... }
     * finally { key.exit(s); }}.
     *
     * @return the slot to pass to {@link #exit(int)}
     * @throws IllegalStateException if the key is closed
     */
    int enter() {
        int slot = calls.enter();
        if (slot < 0) {
            throw closed();
        }
        return slot;
    }

    /** Ends the call {@link #enter()} started; keeps the key reachable until then. */
    void exit(int slot) {
        calls.exit(slot);
        Reference.reachabilityFence(this);
    }

    /** The native handle, between {@link #enter()} and {@link #exit(int)} only. */
    long handle() {
        return handle;
    }

    /** Runs {@code op} with the native handle as one call ({@link #enter()} ... {@link #exit(int)}). */
    <T> T with(NativeResource.HandleFunction<T> op) {
        int slot = enter();
        try {
            return op.apply(handle);
        } finally {
            exit(slot);
        }
    }

    /**
     * A key from raw bytes (copied; the caller may wipe the array afterwards).
     *
     * @param secret the key bytes, non-empty
     * @return the key (close it when done)
     * @throws NullPointerException if {@code secret} is null
     * @throws DstokenException {@code DST_ERR_INVALID_ARGUMENT} for an empty key
     */
    public static SigningKey of(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        return new SigningKey(Native.keyNew(secret, false));
    }

    /**
     * A key from the developer key as shown on the dashboard (its UTF-8 bytes, not
     * base64-decoded), as Digital Samba's docs use it ({@code Algorithm.HMAC256(developerKey)}).
     * Whitespace at its start or end is refused (a developer key never has any; a trailing
     * newline read from a file would make every token fail at Digital Samba): strip it, or pass
     * the bytes to {@link #of(byte[])} if it belongs to the key.
     *
     * @param developerKey the developer key
     * @return the key (close it when done)
     * @throws NullPointerException if {@code developerKey} is null
     * @throws IllegalArgumentException if it is not valid Unicode (an unpaired surrogate)
     * @throws DstokenException {@code DST_ERR_INVALID_ARGUMENT} for an empty key or one with
     *     surrounding whitespace
     */
    public static SigningKey of(String developerKey) {
        byte[] bytes = Utf8.encode(developerKey, "developerKey", "SigningKey.of");
        try {
            return new SigningKey(Native.keyNew(bytes, true));
        } catch (DstokenException e) {
            throw e.in("SigningKey.of");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * True once closed.
     *
     * @return whether {@link #close()} was called
     */
    public boolean isClosed() {
        return calls.isClosed();
    }

    /**
     * Closes the key: every later use throws {@link IllegalStateException}; calls already running
     * on other threads finish first (this method waits for them: microseconds), then the native
     * key state is wiped and freed, all before this method returns. Idempotent.
     */
    @Override
    public void close() {
        synchronized (calls) { // a second close() returns once the first has freed the key, not before
            calls.close();
            free.clean(); // runs Free at most once
        }
    }

    @Override
    public String toString() {
        return isClosed() ? "SigningKey[closed]" : "SigningKey[HS256]";
    }
}
