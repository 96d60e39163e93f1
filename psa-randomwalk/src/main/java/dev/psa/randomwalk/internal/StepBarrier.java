package dev.psa.randomwalk.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A reusable barrier for the few worker threads of one walk, one round per step. A step takes tens
 * of microseconds, so waiting spins briefly, then yields, then parks in short naps (the machine
 * may be shared: a long spin would steal the core a late worker needs). A worker that fails
 * {@linkplain #breakBarrier() breaks} it so the others stop instead of waiting forever.
 */
public final class StepBarrier {
    private static final int SPINS = 1 << 11;
    private static final int YIELDS = 64;
    private static final long NAP_NANOS = 20_000;

    private final int parties;
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int generation;
    private volatile boolean broken;

    public StepBarrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be >= 1, got " + parties);
        }
        this.parties = parties;
    }

    /** @throws BrokenException when another party broke the barrier */
    public void await() {
        int g = generation;
        if (arrived.incrementAndGet() == parties) {
            arrived.set(0);
            generation = g + 1;
            return;
        }
        int waits = 0;
        while (generation == g) {
            if (broken) {
                throw new BrokenException();
            }
            if (waits < SPINS) {
                Thread.onSpinWait();
            } else if (waits < SPINS + YIELDS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(NAP_NANOS);
            }
            waits++;
        }
        if (broken) {
            throw new BrokenException();
        }
    }

    public void breakBarrier() {
        broken = true;
    }

    /** Thrown in the waiting parties when one party broke the barrier. */
    public static final class BrokenException extends RuntimeException {
        BrokenException() {
            super("walk barrier broken by a failed worker", null, false, false);
        }
    }
}
