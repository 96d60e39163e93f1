package dev.psa.seg;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.ImageSample;
import dev.psa.api.InputNormalization;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.spi.Dataset;
import dev.psa.api.spi.ParamRole;
import dev.psa.api.spi.SegHeadGraph;
import org.nd4j.linalg.api.buffer.DataType;
import dev.psa.data.augment.Augmenter;
import dev.psa.train.TrainTask;

/**
 * Segmentation training as a {@link TrainTask}: per batch, each image and its label map are augmented
 * jointly (random long-side resize, flip, optional colour jitter, normalisation, random crop padded
 * with 0 / 255), the label is brought to stride 8 ({@link SegLabels#toStride}), and the one-hot
 * target and the 1 / (labelled cells) normaliser are fed.
 */
public final class SegTrainTask implements TrainTask {
    private final SegNet net;
    private final Dataset dataset;
    private final List<Sample> samples;
    private final Function<ImageSample, LabelMap> labels;
    private final Augmenter augmenter;

    public SegTrainTask(SegNet net, Dataset dataset, List<Sample> samples, Function<ImageSample, LabelMap> labels,
                        SegConfig config, InputNormalization normalization) {
        this.net = requireNonNull(net, "net is null");
        if (!net.training()) {
            throw new IllegalArgumentException("net must be a training graph (SegNet.build with training = true)");
        }
        this.dataset = requireNonNull(dataset, "dataset is null");
        this.samples = List.copyOf(samples);
        this.labels = requireNonNull(labels, "labels is null");
        this.augmenter = new Augmenter(requireNonNull(config, "config is null").augment(),
                requireNonNull(normalization, "normalization is null"));
    }

    @Override
    public SameDiff graph() {
        return net.graph();
    }

    @Override
    public String lossVariable() {
        return SegNet.LOSS;
    }

    @Override
    public Map<String, ParamRole> roles() {
        return net.roles();
    }

    @Override
    public int numSamples() {
        return samples.size();
    }

    /** 0 with probability p, else 1 / (1 − p), drawn from {@code seed}. */
    static INDArray mask(int n, SegHeadGraph.DropoutMask m, long h, long w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float keep = (float) (1 / (1 - m.p()));
        float[] v = new float[(int) (n * m.channels() * h * w)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() < m.p() ? 0f : keep;
        }
        return Nd4j.create(v, new long[] {n, m.channels(), h, w}, DataType.FLOAT);
    }

    @Override
    public Map<String, INDArray> batch(int[] sampleIndices, Random rng) {
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
            cells.add(SegLabels.toStride(a.labels().get(0), 8));
        }
        INDArray target = SegLabels.oneHot(cells, net.numClasses());
        double labelled = target.sumNumber().doubleValue();
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(SegNet.INPUT, Nd4j.stack(0, images.toArray(new INDArray[0])));
        feed.put(SegNet.TARGET, target);
        feed.put(SegNet.NORM, Nd4j.scalar((float) (1.0 / Math.max(1.0, labelled))));
        for (SegHeadGraph.DropoutMask m : net.dropout()) {
            feed.put(m.placeholder(), mask(sampleIndices.length, m, target.size(2), target.size(3), rng.nextLong()));
        }
        return feed;
    }
}
