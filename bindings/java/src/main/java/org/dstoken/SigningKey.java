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
 * threads at once, and they never contend: a call takes no lock and writes nothing shared (it
 * reads the key's {@code closed} flag and its native handle).
 *
 * <p>Closing: {@link #close()} makes every later use throw {@link IllegalStateException} at
 * once. The native copy of the key (its HMAC state) is wiped and freed by a {@link Cleaner} once
 * the {@code SigningKey} object is unreachable, never earlier: a call already running on
 * another thread holds the object, so closing a key while other threads use it can never make
 * them read freed or wiped memory. Drop the last reference to a closed key (as
 * try-with-resources does) and the wipe follows at the next garbage collection.
 */
public final class SigningKey implements AutoCloseable {
    /** The Cleaner's action: wipes and frees the native key. Must not refer to the SigningKey. */
    private static final class Free implements Runnable {
        private final long handle;

        Free(long handle) {
            this.handle = handle;
        }

        @Override
        public void run() {
            Native.keyFree(handle);
            FREED.incrementAndGet(); // once per key, off the hot path (the tests watch it)
        }
    }

    /** How many native keys the Cleaner has wiped and freed (for the tests). */
    static final AtomicLong FREED = new AtomicLong();

    private final long handle;
    private volatile boolean closed;

    private SigningKey(long handle) {
        if (handle == 0) {
            throw new IllegalStateException("SigningKey: the native library returned no handle");
        }
        this.handle = handle;
        NativeResource.CLEANER.register(this, new Free(handle));
    }

    /**
     * The native handle for one call. The caller keeps {@code this} reachable until the native
     * call returns ({@link Reference#reachabilityFence} in a finally block, or the key passed
     * along), so the Cleaner cannot free the handle under it.
     */
    long handle() {
        if (closed) {
            throw new IllegalStateException("SigningKey is closed");
        }
        return handle;
    }

    /** Runs {@code op} with the native handle, keeping the key reachable for the call. */
    <T> T with(NativeResource.HandleFunction<T> op) {
        try {
            return op.apply(handle());
        } finally {
            Reference.reachabilityFence(this);
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
        return new SigningKey(Native.keyNew(secret));
    }

    /**
     * A key from the developer key as shown on the dashboard (its UTF-8 bytes, not
     * base64-decoded), as Digital Samba's docs use it ({@code Algorithm.HMAC256(developerKey)}).
     *
     * @param developerKey the developer key
     * @return the key (close it when done)
     * @throws NullPointerException if {@code developerKey} is null
     * @throws DstokenException {@code DST_ERR_INVALID_ARGUMENT} for an empty key
     */
    public static SigningKey of(String developerKey) {
        Objects.requireNonNull(developerKey, "developerKey");
        byte[] bytes = developerKey.getBytes(StandardCharsets.UTF_8);
        try {
            return of(bytes);
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
        return closed;
    }

    /**
     * Closes the key: every later use throws {@link IllegalStateException}. Calls already
     * running on other threads finish normally. The native key state is wiped and freed once
     * this object is unreachable (by the Cleaner), so no running call can see it vanish.
     * Idempotent.
     */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return closed ? "SigningKey[closed]" : "SigningKey[HS256]";
    }
}
