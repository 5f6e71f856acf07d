package org.dstoken;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;

/**
 * Owns one native claim set ({@link Claims}' handle). {@link #close()} releases it; a
 * {@link Cleaner} releases it if the caller forgets. Every use holds a read (or write) lock, so
 * even a Claims misused from several threads, or closed while another thread uses it, can never
 * reach freed memory: use after close throws {@link IllegalStateException}. (The signing key,
 * shared by many threads on the hot path, takes no lock but counts its calls in flight: see
 * {@link SigningKey}.)
 */
abstract class NativeResource implements AutoCloseable {
    static final Cleaner CLEANER = Cleaner.create();

    /** The part the Cleaner holds: it must not refer to the resource itself. */
    private static final class State implements Runnable {
        private long handle;
        private final LongConsumer free;

        State(long handle, LongConsumer free) {
            this.handle = handle;
            this.free = free;
        }

        @Override
        public void run() {
            long h = handle;
            handle = 0;
            if (h != 0) {
                free.accept(h);
            }
        }
    }

    @FunctionalInterface
    interface HandleFunction<T> {
        T apply(long handle);
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final State state;
    private final Cleaner.Cleanable cleanable;
    private final String kind;

    NativeResource(long handle, LongConsumer free, String kind) {
        if (handle == 0) {
            throw new IllegalStateException(kind + ": the native library returned no handle");
        }
        this.kind = kind;
        this.state = new State(handle, free);
        this.cleanable = CLEANER.register(this, state);
    }

    private long handleOrThrow() {
        long h = state.handle;
        if (h == 0) {
            throw new IllegalStateException(kind + " is closed");
        }
        return h;
    }

    /** Runs {@code op} with the handle under the read lock (shared use). */
    final <T> T read(HandleFunction<T> op) {
        return with(lock.readLock(), op);
    }

    /** Runs {@code op} with the handle under the write lock (mutation). */
    final <T> T write(HandleFunction<T> op) {
        return with(lock.writeLock(), op);
    }

    private <T> T with(Lock l, HandleFunction<T> op) {
        l.lock();
        try {
            return op.apply(handleOrThrow());
        } finally {
            l.unlock();
            Reference.reachabilityFence(this);
        }
    }

    /**
     * True once closed.
     *
     * @return whether {@link #close()} was called
     */
    public final boolean isClosed() {
        return state.handle == 0;
    }

    /** Releases the native handle (and wipes a key's state); later calls are no-ops. */
    @Override
    public final void close() {
        ReentrantReadWriteLock.WriteLock l = lock.writeLock();
        l.lock();
        try {
            cleanable.clean();
        } finally {
            l.unlock();
        }
    }
}
