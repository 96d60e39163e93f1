package dev.psa.affinity;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.spi.Dataset;
import dev.psa.api.spi.PairSampler;
import dev.psa.api.spi.ParamRole;
import dev.psa.data.augment.AugmentConfig;
import dev.psa.data.augment.Augmenter;
import dev.psa.train.TrainTask;
import dev.psa.api.InputNormalization;

/**
 * AffinityNet training as a {@link TrainTask}: per batch, each image and its label map are
 * augmented jointly (REFERENCE.md §Stage 3: horizontal flip, colour jitter, normalisation, random
 * crop with zero/255 padding, no random resize), the label is brought to stride 8
 * ({@link AffinityLabels#toStride}), the pair classes of the batch are weighted by the {@link
 * PairSampler}, and the placeholders {@link AffinityNet#IMAGE}, {@link AffinityNet#PAIR_WEIGHTS}
 * and {@link AffinityNet#PAIR_POSITIVE} are filled.
 */
public final class AffinityTrainTask implements TrainTask {
    private final AffinityNet.Built net;
    private final Dataset dataset;
    private final List<Sample> samples;
    private final Function<ImageSample, LabelMap> labels;
    private final PairSampler sampler;
    private final Augmenter augmenter;
    private final AffConfig config;

    /**
     * @param net      a training graph from {@link AffinityNet#build} (training = true)
     * @param dataset  where images come from
     * @param samples  the training samples
     * @param labels   the pixel label map (seeds or true mask, [H, W], 255 = ignore) of a loaded sample
     * @param sampler  the pair weighting
     * @param config   crop, jitter, flip, label rule
     * @param normalization the backbone's input normalisation
     */
    public AffinityTrainTask(AffinityNet.Built net, Dataset dataset, List<Sample> samples,
                             Function<ImageSample, LabelMap> labels, PairSampler sampler, AffConfig config,
                             InputNormalization normalization) {
        this.net = requireNonNull(net, "net is null");
        if (!net.training()) {
            throw new IllegalArgumentException("net must be a training graph (AffinityNet.build with training = true)");
        }
        this.dataset = requireNonNull(dataset, "dataset is null");
        this.samples = List.copyOf(samples);
        this.labels = requireNonNull(labels, "labels is null");
        this.sampler = requireNonNull(sampler, "sampler is null");
        this.config = requireNonNull(config, "config is null");
        this.augmenter = new Augmenter(augmentConfig(config), requireNonNull(normalization, "normalization is null"));
    }

    /** The augmentation of AffinityNet training: no resize, flip, jitter, crop as configured. */
    public static AugmentConfig augmentConfig(AffConfig c) {
        return new AugmentConfig(false, 0, 0, c.flip(), c.jitterBrightness(), c.jitterContrast(),
                c.jitterSaturation(), c.jitterHue(), c.crop());
    }

    @Override
    public SameDiff graph() {
        return net.sd();
    }

    @Override
    public String lossVariable() {
        return AffinityNet.LOSS;
    }

    @Override
    public Map<String, ParamRole> roles() {
        return net.roles();
    }

    @Override
    public int numSamples() {
        return samples.size();
    }

    @Override
    public Map<String, INDArray> batch(int[] sampleIndices, Random rng) {
        requireNonNull(sampleIndices, "sampleIndices is null");
        requireNonNull(rng, "rng is null");
        List<INDArray> images = new ArrayList<>();
        List<LabelMap> cells = new ArrayList<>();
        for (int i : sampleIndices) {
            Sample s = samples.get(i);
            ImageSample loaded = dataset.load(s);
            LabelMap label = labels.apply(loaded);
            if (label.height() != loaded.height() || label.width() != loaded.width()) {
                throw new PsaException("labels of " + s.id() + " are " + label.width() + "x" + label.height()
                        + " but the image is " + loaded.width() + "x" + loaded.height());
            }
            Augmenter.Augmented a = augmenter.apply(loaded.image(), List.of(label), rng);
            images.add(a.image());
            cells.add(AffinityLabels.toStride(a.labels().get(0), 8, config.labelMinFraction()));
        }
        INDArray classes = AffinityLabels.pairClasses(cells, net.stencil());
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(AffinityNet.IMAGE, Nd4j.stack(0, images.toArray(new INDArray[0])));
        feed.put(AffinityNet.PAIR_WEIGHTS, sampler.weights(classes, rng));
        feed.put(AffinityNet.PAIR_POSITIVE, AffinityLabels.positiveMask(classes));
        return feed;
    }
}
