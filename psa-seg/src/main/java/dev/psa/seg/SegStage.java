package dev.psa.seg;

import dev.psa.train.Initializer;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.psa.api.ClassList;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.io.AtomicFiles;
import dev.psa.api.io.Npy;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.Dataset;
import dev.psa.api.spi.SegHead;
import dev.psa.api.stage.ImageFailures;
import dev.psa.api.stage.Progress;
import dev.psa.api.stage.StageSummary;
import dev.psa.data.io.LabelPng;
import dev.psa.train.TrainListener;
import dev.psa.train.TrainResult;
import dev.psa.train.Trainer;

/**
 * Stage 5: {@code train-seg} trains the segmentation network on a split's pseudo labels
 * ({@code rw/<id>.png}), seeds or true masks, writing {@code seg/model.npz}, {@code seg/metrics.json}
 * (loss per epoch) and checkpoints under {@code seg/checkpoint/} (psa-train's {@link Trainer}: resume
 * from the last checkpoint reproduces the uninterrupted run); {@code seg} segments a split with it into
 * {@code seg/pred/<id>.png} (resumable per image, a bad image recorded and skipped).
 */
public final class SegStage {
    private static final Logger LOG = LoggerFactory.getLogger(SegStage.class);

    /** The stage folder of the network. */
    public static final String DIR = "seg";
    /** The trained network, under {@link #DIR}. */
    public static final String MODEL = "model.npz";
    /** The predictions' folder, under {@link #DIR}. */
    public static final String PRED = "pred";
    /** The class names of the trained network, one a line (index 0 = background), under {@link #DIR}. */
    public static final String CLASSES = "classes.txt";
    /** The per-image stage's name in summaries and failures. */
    public static final String STAGE = "seg";

    /**
     * What a training run did.
     *
     * @param train   the trainer's result
     * @param samples samples trained on
     * @param skipped ids without a label file
     * @param model   the written model
     */
    public record Result(TrainResult train, int samples, List<String> skipped, Path model) {
        public Result {
            skipped = List.copyOf(skipped);
        }
    }

    private SegStage() {
    }

    /**
     * Trains the segmentation network.
     *
     * @param runDir reads {@code rw/} or {@code seeds/} (by {@code seg.labels}), writes {@code seg/}
     * @throws PsaException when no sample has labels, or a label file is unreadable / of another size
     */
    public static Result train(Dataset dataset, String split, Backbone backbone, SegHead head, SegConfig config,
                               Path runDir, boolean resume, Initializer init, TrainListener listener) {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(split, "split is null");
        requireNonNull(config, "config is null");
        requireNonNull(runDir, "runDir is null");
        requireNonNull(init, "init is null");
        requireNonNull(listener, "listener is null");
        int numClasses = dataset.classes().size();
        List<Sample> all = dataset.samples(split);
        List<Sample> usable = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Function<ImageSample, LabelMap> labels;
        if (config.labels().equals("gt")) {
            for (Sample s : all) {
                if (s.mask().isEmpty()) {
                    throw new PsaException("seg.labels = gt but sample " + s.id() + " of split '" + split
                            + "' has no ground-truth mask; use seg.labels=rw or a split with masks");
                }
            }
            usable.addAll(all);
            labels = s -> s.mask().orElseThrow().validate(numClasses, "mask of " + s.sample().id());
        } else {
            Path dir = runDir.resolve(config.labels());
            for (Sample s : all) {
                if (Files.isRegularFile(dir.resolve(s.id() + ".png"))) {
                    usable.add(s);
                } else {
                    skipped.add(s.id());
                }
            }
            if (usable.isEmpty()) {
                throw new PsaException("no " + (config.labels().equals("rw") ? "pseudo labels" : "seed labels")
                        + " for split '" + split + "' in " + dir + " (" + all.size() + " samples, none has "
                        + config.labels() + "/<id>.png): run the " + (config.labels().equals("rw") ? "walk" : "seeds")
                        + " stage first, or train on the true masks with seg.labels=gt");
            }
            if (!skipped.isEmpty()) {
                LOG.warn("{} of {} samples have no {}/<id>.png and are skipped (first: {})", skipped.size(),
                        all.size(), config.labels(), skipped.get(0));
            }
            labels = s -> LabelPng.read(dir.resolve(s.sample().id() + ".png"))
                    .validate(numClasses, dir.resolve(s.sample().id() + ".png").toString());
        }
        SegNet net = SegNet.build(backbone, head, numClasses, true, config.train().seed());
        init.initialize(net.graph(), net.backboneParams());
        SegTrainTask task = new SegTrainTask(net, dataset, usable, labels, config, backbone.normalization());
        Path dir = runDir.resolve(DIR);
        LOG.info("train-seg: {} samples of split '{}' ({} labels), backbone {}, head {}, crop {}, init {}",
                usable.size(), split, config.labels(), backbone.name(), head.name(), config.augment().crop(),
                config.init());
        TrainResult r = new Trainer(config.train(), dir, listener).train(task, resume);
        writeClasses(dir.resolve(CLASSES), dataset.classes());
        return new Result(r, usable.size(), skipped, dir.resolve(MODEL));
    }

    /**
     * The inference network with a trained model's parameters.
     *
     * @param model a {@code seg/model.npz}
     * @throws PsaException naming the file when it is missing or does not fit the network
     */
    public static SegNet load(Backbone backbone, SegHead head, int numClasses, Path model) {
        if (!Files.isRegularFile(model)) {
            throw new PsaException("segmentation model " + model + " not found: train it first (psa run, stage"
                    + " train-seg)");
        }
        SegNet net = SegNet.build(backbone, head, numClasses, false, 0);
        net.load(Npy.readNpz(model), net.roles().keySet(), model.toString());
        return net;
    }

    /**
     * Segments samples into {@code outDir/<id>.png}. An image whose PNG exists and reads back is skipped
     * (resume); a failing one is recorded and skipped, or stops the stage with {@code failFast}.
     */
    public static StageSummary predict(Dataset dataset, List<Sample> samples, SegPredictor predictor, Path outDir,
                                       boolean failFast, Progress progress) {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(predictor, "predictor is null");
        requireNonNull(progress, "progress is null");
        long t0 = System.nanoTime();
        ImageFailures failures = new ImageFailures(STAGE, failFast);
        int written = 0;
        int skipped = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            Path out = outDir.resolve(s.id() + ".png");
            if (LabelPng.isComplete(out)) {
                skipped++;
                progress.onImage(i + 1, samples.size(), s.id());
                continue;
            }
            try {
                LabelPng.write(out, predictor.predict(dataset.load(s).image()));
                written++;
            } catch (RuntimeException e) {
                failures.add(s.id(), e);
            }
            progress.onImage(i + 1, samples.size(), s.id());
        }
        return new StageSummary(STAGE, samples.size(), written, skipped, failures.list(), (System.nanoTime() - t0) / 1e9);
    }

    private static void writeClasses(Path file, ClassList classes) {
        try {
            AtomicFiles.write(file, (String.join("\n", classes.names()) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PsaException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The classes a trained network was trained on ({@link #CLASSES} beside its model).
     *
     * @throws PsaException naming the file when it is missing or empty
     */
    public static ClassList classes(Path segDir) {
        Path file = segDir.resolve(CLASSES);
        try {
            List<String> names = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).toList();
            if (names.size() < 2) {
                throw new PsaException(file + ": expected the class names, one a line (background first), found "
                        + names.size());
            }
            return new ClassList(names);
        } catch (IOException e) {
            throw new PsaException(file + ": cannot read the trained network's classes (" + e.getMessage()
                    + "); train-seg writes it beside " + MODEL, e);
        }
    }
}
