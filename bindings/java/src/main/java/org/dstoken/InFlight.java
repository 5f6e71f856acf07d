package org.dstoken;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts the native calls in flight on one {@link SigningKey}, so that {@link #close()} can wait
 * for them and the key can then be wiped and freed at once, while the threads sharing the key do
 * not contend for one counter.
 *
 * <p>A call {@link #enter()}s (adds 1 to a counter), reads the closed flag, makes its native call
 * and {@link #exit(int)}s (takes 1 from the same counter). {@link #close()} sets the flag, then
 * waits until every counter has been seen at 0. The counter add, the flag write and the flag
 * read are volatile accesses, which Java orders totally: a call that read the flag as open added
 * its 1 before {@code close()} set the flag, so {@code close()} sees that 1 and waits for the
 * call's exit; a call that read the flag as closed takes its 1 back and never touches the key.
 * Each counter holds exactly the calls in flight that entered through it (a call exits through
 * the counter it entered), so seeing one at 0 means those calls have all finished, and no call
 * that read the flag as open can enter it afterwards.
 *
 * <p>The counters: a key starts with one ({@code base}, updated by compare-and-set). The first
 * time two threads meet there (a failed compare-and-set), the key gets its stripes: padded
 * counters chosen by thread id, so threads sharing the key each write their own cache line
 * (one shared counter would cost every call two cache-line transfers between cores, the
 * contention a read-write lock has). A key used by one thread at a time never allocates them.
 */
final class InFlight {
    /** Longs per stripe: 128 bytes, so that no two stripes share a cache line or its prefetch pair. */
    private static final int STRIDE = 16;
    /** Stripes per key: a power of two, at least twice the processors, at most 64. */
    private static final int STRIPES;
    private static final VarHandle BASE, CELLS, CELL;

    static {
        int cpus = Math.max(1, Runtime.getRuntime().availableProcessors());
        STRIPES = Math.min(64, Integer.highestOneBit(2 * cpus - 1) << 1);
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            BASE = l.findVarHandle(InFlight.class, "base", long.class);
            CELLS = l.findVarHandle(InFlight.class, "cells", long[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        CELL = MethodHandles.arrayElementVarHandle(long[].class);
    }

    /** The counter a key starts with; slot 0. */
    private volatile long base;
    /** The stripes, once two threads met at {@code base}: stripe i at index (i + 1) * STRIDE. */
    private volatile long[] cells;
    private volatile boolean closed;

    /**
     * Registers a call.
     *
     * @return the slot to pass to {@link #exit(int)}, or -1 when closed (nothing registered)
     */
    int enter() {
        int slot;
        long[] c = cells;
        long b;
        if (c == null && BASE.compareAndSet(this, b = base, b + 1)) {
            slot = 0;
        } else {
            if (c == null) {
                c = stripes();
            }
            slot = STRIDE * (1 + ((int) Thread.currentThread().getId() & (STRIPES - 1)));
            CELL.getAndAdd(c, slot, 1L);
        }
        if (closed) {
            exit(slot);
            return -1;
        }
        return slot;
    }

    /** Ends a call that {@link #enter()} registered in {@code slot}. */
    void exit(int slot) {
        if (slot == 0) {
            BASE.getAndAdd(this, -1L);
        } else {
            CELL.getAndAdd(cells, slot, -1L); // non-null: set before the enter that chose slot
        }
    }

    private long[] stripes() {
        long[] fresh = new long[(STRIPES + 2) * STRIDE]; // a stripe's worth of padding at each end
        return CELLS.compareAndSet(this, null, fresh) ? fresh : cells;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Makes every later {@link #enter()} fail, then waits until the calls in flight have exited.
     * They are native calls of microseconds: spin briefly, then yield, then sleep in short steps.
     */
    void close() {
        closed = true;
        await(-1);
        long[] c = cells; // read after the flag was set: includes every stripe a running call used
        if (c != null) {
            for (int i = 1; i <= STRIPES; i++) {
                await(i * STRIDE);
            }
        }
    }

    /** Waits until the counter (-1: base; else the stripe at that index) reads 0. */
    private void await(int index) {
        for (int spins = 0; count(index) != 0; spins++) {
            if (spins < 64) {
                Thread.onSpinWait();
            } else if (spins < 128) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    private long count(int index) {
        return index < 0 ? base : (long) CELL.getVolatile(cells, index);
    }
}
