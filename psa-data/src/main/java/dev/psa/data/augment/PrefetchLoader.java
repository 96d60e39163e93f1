package dev.psa.data.augment;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import dev.psa.api.PsaException;

/**
 * Makes batches {@code 0..count-1} in order on one background (daemon) thread, at most {@code
 * prefetch} ahead of the consumer, so loading and augmenting the next batch overlaps training on
 * the current one. Because each batch is made from its index alone (give every batch its own
 * seeded random generator), the batches are the same as a sequential loop would produce. A
 * failure while making a batch is rethrown by {@link #next()}; {@link #close()} stops the thread.
 *
 * @param <B> the batch type
 */
public final class PrefetchLoader<B> implements Iterator<B>, AutoCloseable {
    /** Makes batch number {@code index}. */
    @FunctionalInterface
    public interface BatchSource<B> {
        B batch(int index) throws Exception;
    }

    private record Item<B>(B batch, Throwable error) {
    }

    private final int count;
    private final BlockingQueue<Item<B>> queue;
    private final Thread worker;
    private int taken;
    private volatile boolean closed;

    /**
     * @param count    number of batches
     * @param source   makes one batch
     * @param prefetch how many finished batches may wait (≥ 1)
     */
    public PrefetchLoader(int count, BatchSource<B> source, int prefetch) {
        requireNonNull(source, "source is null");
        if (count < 0 || prefetch < 1) {
            throw new IllegalArgumentException("count must be >= 0 and prefetch >= 1, got " + count + ", " + prefetch);
        }
        this.count = count;
        this.queue = new ArrayBlockingQueue<>(prefetch);
        this.worker = new Thread(() -> {
            for (int i = 0; i < count && !closed; i++) {
                Item<B> item;
                try {
                    item = new Item<>(requireNonNull(source.batch(i), "batch source returned null"), null);
                } catch (Throwable t) {
                    item = new Item<>(null, t);
                }
                try {
                    queue.put(item);
                } catch (InterruptedException e) {
                    return;
                }
                if (item.error() != null) {
                    return;
                }
            }
        }, "psa-prefetch");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public boolean hasNext() {
        return !closed && taken < count;
    }

    @Override
    public B next() {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + count + " batches were taken");
        }
        Item<B> item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PsaException("interrupted while waiting for batch " + taken, e);
        }
        taken++;
        if (item.error() != null) {
            closed = true;
            Throwable t = item.error();
            if (t instanceof PsaException p) {
                throw p;
            }
            throw new PsaException("making batch " + (taken - 1) + " failed: " + t, t);
        }
        return item.batch();
    }

    /** Stops the background thread; batches not taken are dropped. */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        queue.clear();
    }
}
