package dev.psa.cam;

import static java.util.Objects.requireNonNull;

import dev.psa.api.stage.Progress;
import dev.psa.api.stage.StageSummary;
import dev.psa.api.stage.ImageFailure;
import dev.psa.api.stage.ImageFailures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.CamSet;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.io.AtomicFiles;
import dev.psa.api.io.Npy;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.Dataset;
import dev.psa.data.io.CamFiles;
import dev.psa.data.io.LabelPng;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code psa cams}: multi-scale CAMs of every image of a split, written to {@code <run>/cam/<id>.npz}
 * (CONTRACTS.md), and the CAM-only prediction ({@link CamPrediction}, background score
 * {@code cam.bg-score}) to {@code <run>/cam-pred/<id>.png}. Resumable: an image whose CAM file
 * exists and reads back with the image's classes is not computed again (its prediction is written
 * from the file when missing). A bad image is recorded as an {@link ImageFailure} and skipped
 * (unless fail-fast).
 */
public final class CamStage {
    /** The stage name used in summaries and failures. */
    public static final String STAGE = "cams";
    /** Folder of the CAM files inside a run. */
    public static final String DIR = "cam";
    /** Folder of the CAM-only predictions inside a run. */
    public static final String PRED_DIR = "cam-pred";

    private static final Logger LOG = LoggerFactory.getLogger(CamStage.class);

    private CamStage() {
    }

    /**
     * Computes the CAMs of {@code split} with the classifier of {@code runDir/cls/model.npz}.
     *
     * @param backbone the backbone the classifier was trained with
     * @param failFast stop at the first bad image instead of recording it
     * @throws PsaException when the model file is missing or does not fit the backbone
     */
    public static StageSummary run(Dataset dataset, String split, Backbone backbone, CamConfig config, Path runDir,
                                   boolean failFast, Progress progress) {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(backbone, "backbone is null");
        requireNonNull(config, "config is null");
        int numForeground = dataset.classes().size() - 1;
        ClassifierNet net = loadClassifier(backbone, numForeground, config.sqrtFor(backbone.name()),
                runDir.resolve(ClassifierStage.DIR).resolve(ClassifierStage.MODEL));
        MultiScaleCam msc = new MultiScaleCam(net.detachCamNetwork(), backbone.normalization(), config, numForeground);
        return run(dataset, dataset.samples(split), msc, runDir, failFast, progress);
    }

    /**
     * Computes and writes the CAMs and CAM-only predictions of {@code samples} with a ready
     * pipeline (library use, tests); {@code msc.config()} gives the batch size and background score.
     */
    public static StageSummary run(Dataset dataset, List<Sample> samples, MultiScaleCam msc, Path runDir,
                                   boolean failFast, Progress progress) {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(samples, "samples is null");
        requireNonNull(msc, "msc is null");
        requireNonNull(runDir, "runDir is null");
        Progress prog = progress == null ? Progress.NONE : progress;
        long start = System.nanoTime();
        Path dir = runDir.resolve(DIR);
        int batchSize = msc.config().batchSize();
        double bgScore = msc.config().bgScore();
        ImageFailures failures = new ImageFailures(STAGE, failFast);
        int written = 0;
        int skipped = 0;
        int done = 0;
        for (int from = 0; from < samples.size(); from += Math.max(1, batchSize)) {
            List<Sample> chunk = samples.subList(from, Math.min(samples.size(), from + Math.max(1, batchSize)));
            List<MultiScaleCam.Input> todo = new ArrayList<>();
            // Images of the batch done before an interruption are computed again with the others (not
            // written): the same batch as in an uninterrupted run gives bit-identical CAMs.
            Set<String> doneBefore = new HashSet<>();
            for (Sample s : chunk) {
                CamSet existing = readDone(file(runDir, s.id()), s);
                if (existing != null) {
                    doneBefore.add(s.id());
                    try {
                        if (!labelsDone(predFile(runDir, s.id()), existing)) {
                            LabelPng.write(predFile(runDir, s.id()), CamPrediction.predict(existing, bgScore));
                        }
                        skipped++;
                    } catch (RuntimeException e) {
                        failures.add(s.id(), "cannot write " + predFile(runDir, s.id()) + ": " + message(e), e);
                    }
                    prog.onImage(++done, samples.size(), s.id());
                }
            }
            if (doneBefore.size() == chunk.size()) {
                continue;
            }
            for (Sample s : chunk) {
                try {
                    ImageSample img = dataset.load(s);
                    todo.add(new MultiScaleCam.Input(s.id(), img.image(), s.classes()));
                } catch (RuntimeException e) {
                    if (!doneBefore.contains(s.id())) {
                        failures.add(s.id(), "cannot load image " + s.image() + ": " + message(e), e);
                        prog.onImage(++done, samples.size(), s.id());
                    }
                }
            }
            for (CamOrFailure r : compute(msc, todo, failFast)) {
                if (doneBefore.contains(r.id)) {
                    continue;
                }
                if (r.failure != null) {
                    failures.add(r.failure);
                } else {
                    try {
                        CamFiles.write(file(runDir, r.cams.id()), r.cams);
                        LabelPng.write(predFile(runDir, r.cams.id()), CamPrediction.predict(r.cams, bgScore));
                        written++;
                    } catch (RuntimeException e) {
                        failures.add(r.cams.id(), "cannot write the outputs of " + r.cams.id() + ": " + message(e),
                                e);
                    }
                }
                prog.onImage(++done, samples.size(), r.id);
            }
        }
        StageSummary summary = new StageSummary(STAGE, samples.size(), written, skipped, failures.list(),
                (System.nanoTime() - start) / 1e9);
        LOG.info("{} (output {})", summary.line(), dir);
        return summary;
    }

    /** Builds the inference classifier and loads {@code modelFile} ({@code cls/model.npz}) into it. */
    public static ClassifierNet loadClassifier(Backbone backbone, int numForeground, boolean sqrtCam, Path modelFile) {
        if (!Files.isRegularFile(modelFile)) {
            throw new PsaException("classifier model " + modelFile + " not found: train the classifier first"
                    + " (psa train-cls) or point the run at a folder that has " + ClassifierStage.DIR + "/"
                    + ClassifierStage.MODEL);
        }
        return classifier(backbone, numForeground, sqrtCam, Npy.readNpz(modelFile), modelFile.toString());
    }

    /**
     * Builds the inference classifier with the given trained parameters (psa's graph layout, e.g.
     * from a published checkpoint).
     *
     * @param source named in errors (the model file)
     * @throws PsaException listing missing and misshaped parameters
     */
    public static ClassifierNet classifier(Backbone backbone, int numForeground, boolean sqrtCam,
            Map<String, INDArray> params, String source) {
        ClassifierNet net = ClassifierNet.build(backbone, numForeground, false, sqrtCam, 0);
        net.load(params, net.roles().keySet(), source);
        return net;
    }

    /**
     * Computes the CAMs of {@code split} with a ready classifier (e.g. {@link #classifier}).
     *
     * @param failFast stop at the first bad image instead of recording it
     */
    public static StageSummary run(Dataset dataset, String split, ClassifierNet net, Backbone backbone,
            CamConfig config, Path runDir, boolean failFast, Progress progress) {
        MultiScaleCam msc = new MultiScaleCam(net.camNetwork(), backbone.normalization(), config, net.numForeground());
        return run(dataset, dataset.samples(split), msc, runDir, failFast, progress);
    }

    /** The CAM file of an image. */
    public static Path file(Path runDir, String id) {
        return runDir.resolve(DIR).resolve(Sample.checkId(id) + ".npz");
    }

    /** The CAM-only prediction file of an image. */
    public static Path predFile(Path runDir, String id) {
        return runDir.resolve(PRED_DIR).resolve(Sample.checkId(id) + ".png");
    }

    /** An image's CAMs when its file exists and reads back with exactly the sample's classes, else null. */
    private static CamSet readDone(Path file, Sample s) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            CamSet c = CamFiles.read(file, s.id());
            return Arrays.equals(c.classIds(), s.classes()) ? c : null;
        } catch (RuntimeException e) {
            LOG.warn("{}: unreadable ({}); computing it again", file, message(e));
            return null;
        }
    }

    /** Whether a label PNG exists and reads back at the CAMs' size. */
    static boolean labelsDone(Path file, CamSet cams) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            LabelMap m = LabelPng.read(file);
            return m.height() == cams.height() && m.width() == cams.width();
        } catch (RuntimeException e) {
            LOG.warn("{}: unreadable ({}); writing it again", file, message(e));
            return false;
        }
    }

    private record CamOrFailure(String id, CamSet cams, ImageFailure failure) {
    }

    /** Computes a batch; when the batch fails, each image alone, so one bad image costs only itself. */
    private static List<CamOrFailure> compute(MultiScaleCam msc, List<MultiScaleCam.Input> todo, boolean failFast) {
        List<CamOrFailure> out = new ArrayList<>();
        if (todo.isEmpty()) {
            return out;
        }
        try {
            for (CamSet c : msc.computeAll(todo)) {
                out.add(new CamOrFailure(c.id(), c, null));
            }
            return out;
        } catch (RuntimeException e) {
            if (todo.size() == 1 || failFast) {
                if (failFast) {
                    throw new PsaException("image " + todo.get(0).id() + (todo.size() > 1 ? " (or its batch)" : "")
                            + ": CAM inference failed: " + message(e), e);
                }
                out.add(new CamOrFailure(todo.get(0).id(), null, new ImageFailure(todo.get(0).id(), STAGE,
                        "CAM inference failed: " + message(e))));
                return out;
            }
        }
        for (MultiScaleCam.Input in : todo) {
            out.addAll(compute(msc, List.of(in), false));
        }
        return out;
    }

    static String message(Throwable e) {
        return ImageFailures.reason(e);
    }
}
