package dev.psa.data.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import dev.psa.api.InputNormalization;
import dev.psa.api.PsaException;
import dev.psa.data.shapes.ShapesConfig;
import dev.psa.data.shapes.ShapesDataset;

class ImageBatcherTest {
    @Test
    void prefetchedEpochEqualsSequentialBatches() {
        ShapesDataset ds = new ShapesDataset(ShapesConfig.defaults().with(40, 7, 3));
        Augmenter aug = new Augmenter(AugmentConfig.classifier().withSizes(32, 30, 50), InputNormalization.IMAGENET);
        ImageBatcher batcher = new ImageBatcher(ds, ds.samples("trainval"), aug);
        int[] order = {6, 2, 0, 5, 1, 3, 4};
        List<ImageBatcher.Batch> got = new ArrayList<>();
        try (PrefetchLoader<ImageBatcher.Batch> it = batcher.epoch(order, 3, 11, 100, 2)) {
            it.forEachRemaining(got::add);
        }
        assertThat(got).hasSize(3);
        assertThat(got.get(2).images().shape()).containsExactly(1, 3, 32, 32);
        for (int b = 0; b < 3; b++) {
            int[] idx = java.util.Arrays.copyOfRange(order, 3 * b, Math.min(7, 3 * b + 3));
            ImageBatcher.Batch ref = batcher.batch(idx, new Random(11 * 1_000_003L + 100 + b));
            assertThat(got.get(b).images().data().asFloat()).containsExactly(ref.images().data().asFloat());
            assertThat(got.get(b).masks()).isEqualTo(ref.masks());
            assertThat(got.get(b).images().shape()[1]).isEqualTo(3);
            for (int n = 0; n < idx.length; n++) {
                assertThat(got.get(b).samples().get(n)).isEqualTo(ds.samples("trainval").get(idx[n]));
                for (int k = 1; k <= 4; k++) {
                    assertThat(got.get(b).classLabels().getFloat(n, k - 1))
                            .isEqualTo(ds.samples("trainval").get(idx[n]).has(k) ? 1f : 0f);
                }
            }
        }
    }

    @Test
    void failuresSurfaceInTheConsumerThread() {
        PrefetchLoader<Integer> it = new PrefetchLoader<>(5, i -> {
            if (i == 2) {
                throw new IllegalStateException("boom at " + i);
            }
            return i * 10;
        }, 1);
        assertThat(it.next()).isEqualTo(0);
        assertThat(it.next()).isEqualTo(10);
        assertThatThrownBy(it::next).isInstanceOf(PsaException.class).hasMessageContaining("batch 2")
                .hasMessageContaining("boom at 2");
        assertThat(it.hasNext()).isFalse();
        it.close();
    }
}
