package dev.psa.eval;

import static java.util.Objects.requireNonNull;

import dev.psa.api.stage.ImageFailure;
import dev.psa.api.stage.ImageReduction;
import dev.psa.api.CamSet;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.data.io.CamFiles;
import dev.psa.data.io.LabelPng;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Evaluates a folder of predictions against ground truth, streaming: each worker thread reads one
 * image at a time into its own confusion matrix (or threshold sweep), merged at the end, so memory
 * does not grow with the number of images. An image that cannot be evaluated (missing or
 * unreadable file, size mismatch) is recorded as an {@link ImageFailure} and left out, unless
 * {@link EvalConfig#failFast()}.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * Label predictions: {@code predDir/<id>.png} (uint8, 255 = no label) for each id.
     *
     * @param stage   the stage name for outputs (e.g. {@code rw})
     * @param skipped predictions the caller left out for lack of ground truth (reported only)
     */
    public static EvalResult labels(String stage, Path predDir, GroundTruth gt, List<String> ids, int skipped,
                                    EvalConfig config) {
        requireNonNull(predDir, "predDir is null");
        int k = gt.classes().size();
        long t0 = System.nanoTime();
        List<ConfusionMatrix> parts = new ArrayList<>();
        List<ImageFailure> failures = run(stage, ids, config, () -> {
            ConfusionMatrix cm = new ConfusionMatrix(k, config.unlabeledPredAs());
            synchronized (parts) {
                parts.add(cm);
            }
            return id -> {
                LabelMap mask = gt.mask(id).orElseThrow(() -> new PsaException("no ground-truth mask for " + id
                        + " in " + gt.dataset()));
                Path f = predDir.resolve(id + ".png");
                if (!Files.isRegularFile(f)) {
                    throw new PsaException(f + ": prediction not found");
                }
                LabelMap pred = LabelPng.read(f);
                cm.add(mask, pred, f.toString());
            };
        });
        ConfusionMatrix total = new ConfusionMatrix(k, config.unlabeledPredAs());
        parts.forEach(total::merge);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new EvalResult(stage, predDir.toString(), gt.dataset(), gt.split(), gt.classes(), config, total,
                Metrics.of(total, gt.classes()), Optional.empty(), failures, skipped, seconds);
    }

    /**
     * CAMs: {@code camDir/<id>.npz} ({@link CamFiles}) for each id, evaluated at every threshold of
     * {@link EvalConfig#thresholds()} in one pass; the result's matrix and metrics are those of the
     * best threshold.
     */
    public static EvalResult cams(String stage, Path camDir, GroundTruth gt, List<String> ids, int skipped,
                                  EvalConfig config) {
        requireNonNull(camDir, "camDir is null");
        int k = gt.classes().size();
        double[] thresholds = config.thresholds();
        long t0 = System.nanoTime();
        List<CamThresholdSweep> parts = new ArrayList<>();
        List<ImageFailure> failures = run(stage, ids, config, () -> {
            CamThresholdSweep sweep = new CamThresholdSweep(k, thresholds);
            synchronized (parts) {
                parts.add(sweep);
            }
            return id -> {
                LabelMap mask = gt.mask(id).orElseThrow(() -> new PsaException("no ground-truth mask for " + id
                        + " in " + gt.dataset()));
                Path f = camDir.resolve(id + ".npz");
                if (!Files.isRegularFile(f)) {
                    throw new PsaException(f + ": CAM file not found");
                }
                CamSet cams = CamFiles.read(f, id);
                sweep.add(mask, cams);
            };
        });
        CamThresholdSweep total = new CamThresholdSweep(k, thresholds);
        parts.forEach(total::merge);
        CamThresholdSweep.Result sweep = total.result(gt.classes());
        double seconds = (System.nanoTime() - t0) / 1e9;
        CamThresholdSweep.Point best = sweep.best();
        return new EvalResult(stage, camDir.toString(), gt.dataset(), gt.split(), gt.classes(), config, best.matrix(),
                best.metrics(), Optional.of(sweep), failures, skipped, seconds);
    }

    /**
     * A share's evaluation, to be merged with the other shares' (a Spark reduce): the summed
     * confusion matrix (labels) or threshold sweep (CAMs) and the share's failures with their
     * positions in the plan's ids.
     */
    public static final class Partial implements ImageReduction.Part<Partial> {
        private static final long serialVersionUID = 1L;
        private final ConfusionMatrix matrix;
        private final CamThresholdSweep sweep;
        private final List<IndexedFailure> failures;

        /** A failed image at its position in the plan's ids. */
        record IndexedFailure(int index, String id, String stage, String reason) implements Serializable {
            private static final long serialVersionUID = 1L;
        }

        Partial(ConfusionMatrix matrix, CamThresholdSweep sweep, List<IndexedFailure> failures) {
            this.matrix = matrix;
            this.sweep = sweep;
            this.failures = new ArrayList<>(failures);
        }

        @Override
        public Partial merge(Partial other) {
            List<IndexedFailure> all = new ArrayList<>(failures);
            all.addAll(other.failures);
            all.sort(Comparator.comparingInt(IndexedFailure::index));
            if (matrix != null) {
                ConfusionMatrix m = matrix.copy();
                m.merge(other.matrix);
                return new Partial(m, null, all);
            }
            CamThresholdSweep w = new CamThresholdSweep(sweep.numClasses(), sweep.thresholds());
            w.merge(sweep);
            w.merge(other.sweep);
            return new Partial(null, w, all);
        }

        /** The failures, in the plan's order. */
        public List<ImageFailure> failures() {
            return failures.stream().map(f -> new ImageFailure(f.id(), f.stage(), f.reason())).toList();
        }
    }

    /**
     * Evaluates {@code share} (ids of {@code plan}, in its order) into a partial result; with
     * {@link EvalConfig#failFast()} the first failure throws.
     */
    public static Partial partial(Evaluation.Plan plan, GroundTruth gt, List<String> share, EvalConfig config) {
        requireNonNull(plan, "plan is null");
        int k = gt.classes().size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < plan.ids().size(); i++) {
            index.put(plan.ids().get(i), i);
        }
        List<ImageFailure> failures;
        ConfusionMatrix total = null;
        CamThresholdSweep sweepTotal = null;
        if (plan.cams()) {
            List<CamThresholdSweep> parts = new ArrayList<>();
            failures = run(plan.stage(), share, config, () -> {
                CamThresholdSweep sweep = new CamThresholdSweep(k, config.thresholds());
                synchronized (parts) {
                    parts.add(sweep);
                }
                return id -> sweep.add(mask(gt, id), readCams(plan.dir(), id));
            });
            sweepTotal = new CamThresholdSweep(k, config.thresholds());
            parts.forEach(sweepTotal::merge);
        } else {
            List<ConfusionMatrix> parts = new ArrayList<>();
            failures = run(plan.stage(), share, config, () -> {
                ConfusionMatrix cm = new ConfusionMatrix(k, config.unlabeledPredAs());
                synchronized (parts) {
                    parts.add(cm);
                }
                return id -> {
                    Path f = plan.dir().resolve(id + ".png");
                    LabelMap mask = mask(gt, id);
                    cm.add(mask, readLabels(f), f.toString());
                };
            });
            total = new ConfusionMatrix(k, config.unlabeledPredAs());
            parts.forEach(total::merge);
        }
        List<Partial.IndexedFailure> indexed = new ArrayList<>();
        for (ImageFailure f : failures) {
            indexed.add(new Partial.IndexedFailure(index.getOrDefault(f.id(), -1), f.id(), f.stage(), f.reason()));
        }
        return new Partial(total, sweepTotal, indexed);
    }

    /** The evaluation of a whole plan from the merge of its shares' partial results. */
    public static EvalResult result(Evaluation.Plan plan, GroundTruth gt, EvalConfig config, Partial all,
            double seconds) {
        if (all.sweep != null) {
            CamThresholdSweep.Result sweep = all.sweep.result(gt.classes());
            CamThresholdSweep.Point best = sweep.best();
            return new EvalResult(plan.stage(), plan.dir().toString(), gt.dataset(), gt.split(), gt.classes(), config,
                    best.matrix(), best.metrics(), Optional.of(sweep), all.failures(), plan.skipped(), seconds);
        }
        return new EvalResult(plan.stage(), plan.dir().toString(), gt.dataset(), gt.split(), gt.classes(), config,
                all.matrix, Metrics.of(all.matrix, gt.classes()), Optional.empty(), all.failures(), plan.skipped(),
                seconds);
    }

    private static LabelMap mask(GroundTruth gt, String id) {
        return gt.mask(id).orElseThrow(() -> new PsaException("no ground-truth mask for " + id + " in " + gt.dataset()));
    }

    private static CamSet readCams(Path dir, String id) {
        Path f = dir.resolve(id + ".npz");
        if (!Files.isRegularFile(f)) {
            throw new PsaException(f + ": CAM file not found");
        }
        return CamFiles.read(f, id);
    }

    private static LabelMap readLabels(Path f) {
        if (!Files.isRegularFile(f)) {
            throw new PsaException(f + ": prediction not found");
        }
        return LabelPng.read(f);
    }

    /** Evaluates one image into the worker's accumulator. */
    @FunctionalInterface
    interface ImageTask {
        void accept(String id);
    }

    /** Makes one worker's task (with its own accumulator). */
    @FunctionalInterface
    interface WorkerFactory {
        ImageTask create();
    }

    private record Failed(int index, ImageFailure failure) {
    }

    /** Runs the ids over the configured threads; returns failures in id order. */
    private static List<ImageFailure> run(String stage, List<String> ids, EvalConfig config, WorkerFactory factory) {
        int threads = Math.max(1, Math.min(config.effectiveThreads(), ids.size()));
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Failed> failed = new ConcurrentLinkedQueue<>();
        Runnable worker = () -> {
            ImageTask task = factory.create();
            for (int i = next.getAndIncrement(); i < ids.size() && !stop.get(); i = next.getAndIncrement()) {
                String id = ids.get(i);
                try {
                    task.accept(id);
                } catch (RuntimeException e) {
                    failed.add(new Failed(i, new ImageFailure(id, stage, String.valueOf(e.getMessage()))));
                    if (config.failFast()) {
                        stop.set(true);
                    }
                }
            }
        };
        if (threads == 1) {
            worker.run();
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "psa-eval");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(worker));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PsaException("evaluation of " + stage + " interrupted", e);
            } catch (ExecutionException e) {
                throw new PsaException("evaluation of " + stage + " failed: " + e.getCause(), e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        List<Failed> sorted = new ArrayList<>(failed);
        sorted.sort(Comparator.comparingInt(Failed::index));
        if (config.failFast() && !sorted.isEmpty()) {
            ImageFailure f = sorted.get(0).failure();
            throw new PsaException("evaluation of " + stage + " stopped at image " + f.id() + " (eval.fail-fast): "
                    + f.reason());
        }
        return sorted.stream().map(Failed::failure).toList();
    }
}
