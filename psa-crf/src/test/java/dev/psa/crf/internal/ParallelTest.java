package dev.psa.crf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void coversEveryIndexExactlyOnce() {
        for (int threads : new int[] {1, 2, 5}) {
            AtomicIntegerArray hits = new AtomicIntegerArray(10_007);
            new Parallel(threads).forRange(hits.length(), 100, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < hits.length(); i++) {
                assertThat(hits.get(i)).isOne();
            }
        }
    }

    @Test
    void propagatesExceptions() {
        assertThatThrownBy(() -> new Parallel(2).forRange(1000, 10, (from, to) -> {
            throw new IllegalStateException("boom");
        })).hasMessageContaining("boom");
    }
}
