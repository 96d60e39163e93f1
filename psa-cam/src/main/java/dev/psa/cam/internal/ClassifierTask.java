package dev.psa.cam.internal;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.spi.Dataset;
import dev.psa.api.spi.ParamRole;
import dev.psa.cam.AveragePrecision;
import dev.psa.cam.ClassifierNet;
import dev.psa.cam.ClsConfig;
import dev.psa.data.augment.AugmentConfig;
import dev.psa.data.augment.Augmenter;
import dev.psa.data.augment.ImageBatcher;
import dev.psa.train.TrainTask;
import dev.psa.api.InputNormalization;

/**
 * The classifier as a {@link TrainTask}: augmented crops with their image labels and a
 * channel-dropout mask per batch; validation loss and mAP of the image labels on whole validation
 * images (no augmentation) through an inference graph that receives the current parameters.
 */
public final class ClassifierTask implements TrainTask {
    /** Validation images stacked per forward pass (equal sizes only). */
    private static final int VAL_BATCH = 16;

    private final Dataset dataset;
    private final List<Sample> samples;
    private final List<Sample> valSamples;
    private final ClassifierNet train;
    private final ClassifierNet infer;
    private final ClsConfig config;
    private final ImageBatcher batcher;
    private final InputNormalization normalization;

    public ClassifierTask(Dataset dataset, List<Sample> samples, List<Sample> valSamples, ClassifierNet train,
                          ClassifierNet infer, ClsConfig config, InputNormalization normalization) {
        this.dataset = requireNonNull(dataset, "dataset is null");
        this.samples = List.copyOf(samples);
        this.valSamples = List.copyOf(valSamples);
        this.train = requireNonNull(train, "train is null");
        this.infer = requireNonNull(infer, "infer is null");
        this.config = requireNonNull(config, "config is null");
        this.normalization = requireNonNull(normalization, "normalization is null");
        this.batcher = new ImageBatcher(dataset, samples, new Augmenter(augmentConfig(config), normalization));
    }

    @Override
    public SameDiff graph() {
        return train.graph();
    }

    @Override
    public String lossVariable() {
        return ClassifierNet.LOSS;
    }

    @Override
    public Map<String, ParamRole> roles() {
        return train.roles();
    }

    @Override
    public int numSamples() {
        return samples.size();
    }

    /** The classifier's augmentation (REFERENCE.md §Stage 1) from its {@code cls.} keys. */
    public static AugmentConfig augmentConfig(ClsConfig c) {
        return new AugmentConfig(true, c.resizeMin(), c.resizeMax(), c.flip(), c.brightness(), c.contrast(),
                c.saturation(), c.hue(), c.crop());
    }

    @Override
    public Map<String, INDArray> batch(int[] sampleIndices, Random rng) {
        int k1 = train.numForeground();
        for (int i : sampleIndices) {
            for (int cls : samples.get(i).classes()) {
                checkClass(samples.get(i), cls, k1);
            }
        }
        ImageBatcher.Batch b = batcher.batch(sampleIndices, rng);
        int n = sampleIndices.length;
        int c = train.featureChannels();
        float keep = (float) (1 - config.dropout());
        float[] mask = new float[n * c];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextDouble() < config.dropout() ? 0f : 1f / keep;
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(ClassifierNet.INPUT, b.images());
        out.put(ClassifierNet.LABELS, b.classLabels());
        out.put(ClassifierNet.DROP_MASK, Nd4j.create(mask, new long[] {n, c, 1, 1}, 'c'));
        return out;
    }

    private static void checkClass(Sample s, int cls, int k1) {
        if (cls < 1 || cls > k1) {
            throw new PsaException("sample " + s.id() + " (" + s.image() + "): class id " + cls + " outside 1.." + k1);
        }
    }

    @Override
    public Map<String, Double> validate(SameDiff graph, int epoch) {
        if (valSamples.isEmpty()) {
            return Map.of();
        }
        Map<String, INDArray> params = new LinkedHashMap<>();
        for (String name : train.roles().keySet()) {
            params.put(name, graph.getVariable(name).getArr());
        }
        infer.load(params, train.roles().keySet(), "the training graph");
        Scores scores = scores(infer, dataset, valSamples, normalization);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("val_loss", scores.loss());
        out.put("val_map", scores.map());
        return out;
    }

    /** Logits of whole images and their loss and mAP. */
    public record Scores(double[][] logits, boolean[][] labels, double loss, double map) {
    }

    /** Runs whole (unaugmented) images through an inference classifier. */
    public static Scores scores(ClassifierNet infer, Dataset dataset, List<Sample> samples,
                                InputNormalization normalization) {
        int k1 = infer.numForeground();
        double[][] logits = new double[samples.size()][];
        boolean[][] labels = new boolean[samples.size()][k1];
        List<Integer> pending = new ArrayList<>();
        List<INDArray> images = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            for (int cls : s.classes()) {
                checkClass(s, cls, k1);
                labels[i][cls - 1] = true;
            }
            INDArray img = dataset.load(s).image();
            if (!images.isEmpty() && (!sameSize(images.get(0), img) || images.size() == VAL_BATCH)) {
                run(infer, normalization, pending, images, logits);
            }
            pending.add(i);
            images.add(img);
        }
        run(infer, normalization, pending, images, logits);
        double loss = 0;
        for (int i = 0; i < logits.length; i++) {
            for (int k = 0; k < k1; k++) {
                double x = logits[i][k];
                double y = labels[i][k] ? 1 : 0;
                loss += Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
            }
        }
        loss /= (double) logits.length * k1;
        return new Scores(logits, labels, loss, AveragePrecision.mean(logits, labels));
    }

    private static boolean sameSize(INDArray a, INDArray b) {
        return a.size(1) == b.size(1) && a.size(2) == b.size(2);
    }

    private static void run(ClassifierNet infer, InputNormalization normalization, List<Integer> pending,
                            List<INDArray> images, double[][] logits) {
        if (images.isEmpty()) {
            return;
        }
        INDArray batch = Nd4j.createUninitialized(DataType.FLOAT, images.size(), 3, images.get(0).size(1),
                images.get(0).size(2));
        for (int i = 0; i < images.size(); i++) {
            batch.putSlice(i, images.get(i).castTo(DataType.FLOAT));
        }
        INDArray out = infer.logits(normalization.apply(batch));
        for (int i = 0; i < pending.size(); i++) {
            logits[pending.get(i)] = out.getRow(i).dup().toDoubleVector();
        }
        pending.clear();
        images.clear();
    }
}
