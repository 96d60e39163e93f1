package dev.psa.cam;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.nd4j.autodiff.samediff.SameDiff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.Dataset;
import dev.psa.cam.internal.ClassifierTask;
import dev.psa.train.TrainConfig;
import dev.psa.train.TrainListener;
import dev.psa.train.TrainResult;
import dev.psa.train.Trainer;

/**
 * {@code psa train-cls}: trains the stage-1 classifier ({@link ClassifierNet}) on a split with the
 * shared {@link Trainer} (poly SGD, role multipliers, atomic checkpoints, resume) into
 * {@code <run>/cls/}: {@code model.npz} (parameters by variable name), {@code checkpoint/},
 * {@code metrics.json} (per epoch: mean training loss, and {@code val_loss}, {@code val_map} on
 * {@code cls.val-split} when the dataset has it).
 */
public final class ClassifierStage {
    /** The stage name. */
    public static final String STAGE = "train-cls";
    /** Folder of the classifier inside a run. */
    public static final String DIR = "cls";
    /** The trained parameters inside {@link #DIR}. */
    public static final String MODEL = "model.npz";

    private static final Logger LOG = LoggerFactory.getLogger(ClassifierStage.class);

    private ClassifierStage() {
    }

    /**
     * Trains the classifier.
     *
     * @param split       the training split (e.g. {@code train_aug}, or {@code train} of {@code shapes})
     * @param resume      continue from {@code <run>/cls/checkpoint} when present
     * @param listener    progress ({@link TrainListener#none()}, or the runner's listener)
     * @param initializer loads pretrained backbone weights into the fresh training graph (e.g.
     *                    {@code sd -> WeightLoader.load(sd, WeightFiles.read(file), names)}); null
     *                    keeps the random initialisation. Not applied when resuming from a checkpoint
     *                    (the checkpoint overwrites every parameter).
     * @return losses, validation metrics, the model file
     */
    public static ClassifierSummary train(Dataset dataset, String split, Backbone backbone, ClsConfig config,
                                          Path runDir, boolean resume, TrainListener listener,
                                          Consumer<SameDiff> initializer) {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(split, "split is null");
        requireNonNull(backbone, "backbone is null");
        requireNonNull(config, "config is null");
        requireNonNull(runDir, "runDir is null");
        long start = System.nanoTime();
        List<Sample> samples = dataset.samples(split);
        if (samples.isEmpty()) {
            throw new PsaException("split '" + split + "' of the dataset has no images to train on");
        }
        List<Sample> val = validationSamples(dataset, config);
        int numForeground = dataset.classes().size() - 1;
        ClassifierNet train = ClassifierNet.build(backbone, numForeground, true, false, config.seed());
        ClassifierNet infer = ClassifierNet.build(backbone, numForeground, false, false, config.seed());
        if (initializer != null) {
            initializer.accept(train.graph());
        }
        ClassifierTask task = new ClassifierTask(dataset, samples, val, train, infer, config, backbone.normalization());
        List<Map<String, Double>> epochs = new ArrayList<>();
        TrainListener base = listener == null ? TrainListener.none() : listener;
        TrainListener capture = new TrainListener() {
            @Override
            public void onStep(long step, long maxSteps, double loss, double imagesPerSecond) {
                base.onStep(step, maxSteps, loss, imagesPerSecond);
            }

            @Override
            public void onEpoch(int epoch, Map<String, Double> metrics) {
                epochs.add(Map.copyOf(metrics));
                LOG.info("epoch {}: {}", epoch + 1, metrics);
                base.onEpoch(epoch, metrics);
            }
        };
        TrainConfig tc = new TrainConfig(config.epochs(), config.batchSize(), config.lr(), config.weightDecay(),
                config.momentum(), config.polyPower(), config.checkpointEvery(), config.seed());
        Path dir = runDir.resolve(DIR);
        TrainResult result = new Trainer(tc, dir, capture).train(task, resume);
        ClassifierSummary summary = new ClassifierSummary(samples.size(), val.size(), result.steps(),
                result.stepLosses(), epochs, dir.resolve(MODEL), (System.nanoTime() - start) / 1e9);
        LOG.info(summary.line());
        return summary;
    }

    /**
     * Validation loss and mAP of an already trained classifier ({@code <run>/cls/model.npz}) on
     * whole images of a split.
     *
     * @return {@code val_loss}, {@code val_map}
     */
    public static Map<String, Double> evaluate(Dataset dataset, List<Sample> samples, Backbone backbone,
                                               Path runDir) {
        ClassifierNet net = CamStage.loadClassifier(backbone, dataset.classes().size() - 1, false,
                runDir.resolve(DIR).resolve(MODEL));
        ClassifierTask.Scores s = ClassifierTask.scores(net, dataset, samples, backbone.normalization());
        return Map.of("val_loss", s.loss(), "val_map", s.map());
    }

    private static List<Sample> validationSamples(Dataset dataset, ClsConfig config) {
        if (config.valSplit().isBlank()) {
            return List.of();
        }
        if (!dataset.splits().contains(config.valSplit())) {
            LOG.warn("no validation: the dataset has no split '{}' (key cls.val-split); its splits are {}",
                    config.valSplit(), dataset.splits());
            return List.of();
        }
        List<Sample> val = dataset.samples(config.valSplit());
        return config.valMaxImages() > 0 && val.size() > config.valMaxImages()
                ? val.subList(0, config.valMaxImages()) : val;
    }
}
