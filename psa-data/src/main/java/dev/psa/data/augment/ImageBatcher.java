package dev.psa.data.augment;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.ClassList;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.spi.Dataset;
import java.util.Arrays;

/**
 * Turns dataset samples into augmented training batches: images {@code [N, 3, S, S]}, image-level
 * labels {@code [N, K-1]} and the masks transformed jointly. Use {@link #batch} where the trainer
 * hands out indices and a random generator, or {@link #epoch} for a prefetching iterator.
 */
public final class ImageBatcher {
    private final Dataset dataset;
    private final List<Sample> samples;
    private final Augmenter augmenter;

    /**
     * One batch.
     *
     * @param samples     the N samples, in batch order
     * @param images      [N, 3, S, S] float32, normalised
     * @param classLabels [N, K-1] float32, 1 where foreground class k+1 is present, else 0
     * @param masks       N masks of S×S, augmented with the images; all 255 when a sample has none
     */
    public record Batch(List<Sample> samples, INDArray images, INDArray classLabels, List<LabelMap> masks) {
    }

    public ImageBatcher(Dataset dataset, List<Sample> samples, Augmenter augmenter) {
        this.dataset = requireNonNull(dataset, "dataset is null");
        this.samples = List.copyOf(samples);
        this.augmenter = requireNonNull(augmenter, "augmenter is null");
    }

    public int size() {
        return samples.size();
    }

    /**
     * Loads and augments the samples at {@code indices}, drawing every random choice from {@code rng}
     * in index order.
     *
     * @throws PsaException naming the image when the augmented sizes differ (set a crop size)
     */
    public Batch batch(int[] indices, Random rng) {
        requireNonNull(indices, "indices is null");
        requireNonNull(rng, "rng is null");
        int k = dataset.classes().size() - 1;
        List<Sample> picked = new ArrayList<>();
        List<INDArray> images = new ArrayList<>();
        List<LabelMap> masks = new ArrayList<>();
        float[] labels = new float[indices.length * k];
        for (int n = 0; n < indices.length; n++) {
            Sample s = samples.get(indices[n]);
            ImageSample is = dataset.load(s);
            LabelMap mask = is.mask().orElseGet(() -> LabelMap.filled(is.height(), is.width(), ClassList.IGNORE));
            Augmenter.Augmented a = augmenter.apply(is.image(), List.of(mask), rng);
            if (!images.isEmpty() && (a.image().size(1) != images.get(0).size(1)
                    || a.image().size(2) != images.get(0).size(2))) {
                throw new PsaException("image " + s.id() + " is " + a.image().size(2) + "x" + a.image().size(1)
                        + " after augmentation but " + picked.get(0).id() + " is " + images.get(0).size(2) + "x"
                        + images.get(0).size(1) + "; set a crop size to batch images of different sizes");
            }
            picked.add(s);
            images.add(a.image());
            masks.add(a.labels().get(0));
            for (int c : s.classes()) {
                labels[n * k + c - 1] = 1;
            }
        }
        INDArray stacked = images.isEmpty() ? Nd4j.create(DataType.FLOAT, 0, 3, 0, 0)
                : Nd4j.stack(0, images.toArray(INDArray[]::new));
        return new Batch(List.copyOf(picked), stacked,
                Nd4j.create(labels, new long[] {indices.length, k}, DataType.FLOAT), List.copyOf(masks));
    }

    /**
     * A prefetching iterator over one epoch: batch b holds {@code order[b·batchSize …]} (the last
     * may be smaller) and draws from {@code new Random(seed · 1_000_003 + firstStep + b)}, the
     * per-step generator of psa-train's Trainer.
     *
     * @param order     sample indices in visiting order
     * @param firstStep the global step of the first batch
     */
    public PrefetchLoader<Batch> epoch(int[] order, int batchSize, long seed, long firstStep, int prefetch) {
        requireNonNull(order, "order is null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        int count = (order.length + batchSize - 1) / batchSize;
        return new PrefetchLoader<>(count, b -> {
            int from = b * batchSize;
            int to = Math.min(order.length, from + batchSize);
            return batch(Arrays.copyOfRange(order, from, to), new Random(seed * 1_000_003L + firstStep + b));
        }, prefetch);
    }
}
