package dev.psa.runtime.pipeline;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.psa.api.PsaException;
import dev.psa.api.stage.StageListener;
import dev.psa.runtime.config.PipelineConfig;
import dev.psa.runtime.config.Settings;

/**
 * Runs stages in order into one run folder, skipping those whose outputs are complete for the same
 * inputs and config (fingerprints), clearing and re-running those whose inputs or config changed,
 * and resuming those that were interrupted.
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    /** The reason {@link StageListener#notRun} gives for a stage whose outputs are complete for the same inputs. */
    public static final String UP_TO_DATE = "up to date, skipped";

    /** The reason {@link StageListener#notRun} gives for a stage whose outputs came from a {@link StageCache}. */
    public static final String SHARED = "shared, same fingerprint computed before";

    private final Map<Stage, StageExecutor> executors;
    private final StageCache cache;

    public Pipeline(Map<Stage, StageExecutor> executors) {
        this(executors, StageCache.NONE);
    }

    /** A runner that takes finished stages from {@code cache} and gives it every stage it finishes (psa sweep). */
    public Pipeline(Map<Stage, StageExecutor> executors, StageCache cache) {
        this.executors = new EnumMap<>(requireNonNull(executors, "executors is null"));
        this.cache = requireNonNull(cache, "cache is null");
    }

    /**
     * @param from      first stage to run; with {@code force} it re-runs even when up to date
     * @param to        last stage to run
     * @param listener  receives the run's events (stage started / not run / finished, progress, failures)
     * @return the summary of every stage in [from, to] (skipped ones with their recorded summary)
     */
    public Map<Stage, Map<String, Object>> run(Settings settings, RunFolder run, Stage from, Stage to, boolean force,
            boolean failFast, StageListener listener) {
        requireNonNull(listener, "listener is null");
        if (from.ordinal() > to.ordinal()) {
            throw new PsaException("--from " + from.id() + " comes after --to " + to.id());
        }
        try (AutoCloseable lock = run.lock()) {
            return runLocked(settings, run, from, to, force, failFast, listener);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new PsaException("run folder " + run.root() + ": cannot release its lock: " + e.getMessage(), e);
        }
    }

    private Map<Stage, Map<String, Object>> runLocked(Settings settings, RunFolder run, Stage from, Stage to,
            boolean force, boolean failFast, StageListener listener) {
        Provenance provenance = Provenance.open(run, settings);
        run.recordConfig(settings.values());
        Failures failures = new Failures(run.resolve("failures.json"), failFast);
        Map<String, String> config = settings.resolvedValues();
        Map<Stage, String> fingerprints = new EnumMap<>(Stage.class);
        Map<Stage, Map<String, Object>> results = new LinkedHashMap<>();
        PipelineConfig pc = settings.find(PipelineConfig.class).orElseGet(() -> PipelineConfig.from(settings.root()));
        Map<Path, String> digests = new HashMap<>();
        for (Stage stage : Stage.values()) {
            Optional<Path> weights = trainedWeights(stage, pc);
            if (weights.isPresent()) {
                // a training stage replaced by a trained model file: nothing runs, nothing is written
                // for it; its fingerprint is the file's content and the keys the network is built from
                String key = stage == Stage.TRAIN_CLS ? "cls.weights" : "aff.weights";
                String sha = digests.computeIfAbsent(weights.get().toAbsolutePath(), f -> ModelFiles.sha256(f, key));
                String fp = weightsFingerprint(stage, config, sha);
                fingerprints.put(stage, fp);
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("weights", weights.get().toAbsolutePath().toString());
                summary.put("sha256", sha);
                results.put(stage, summary);
                provenance.stage(stage, fp, 0, summary);
                if (stage.ordinal() >= from.ordinal() && stage.ordinal() <= to.ordinal()) {
                    listener.notRun(stage.id(), "trained weights " + weights.get() + " (sha256 "
                            + sha.substring(0, 12) + "…)");
                }
                continue;
            }
            Map<String, String> inputs = new TreeMap<>();
            modelInputs(stage, pc, run).forEach((name, f) -> inputs.put(name, Files.isRegularFile(f)
                    ? digests.computeIfAbsent(f.toAbsolutePath(), a -> ModelFiles.sha256(a, name)) : "absent"));
            String fp = RunFolder.fingerprint(stage, config, fingerprints, inputs);
            fingerprints.put(stage, fp);
            if (stage.ordinal() < from.ordinal() || stage.ordinal() > to.ordinal()) {
                if (stage.ordinal() < from.ordinal() && !run.upToDate(stage, fp)) {
                    throw new PsaException("stage " + stage.id() + " is not complete for the current config in "
                            + run.root() + "; run it first (psa run --from " + stage.id() + ")");
                }
                continue;
            }
            boolean forced = force && stage == from;
            if (!forced && run.upToDate(stage, fp)) {
                listener.notRun(stage.id(), UP_TO_DATE);
                results.put(stage, run.state(stage).orElseThrow().summary());
                continue;
            }
            Optional<RunFolder.StageState> shared = forced ? Optional.empty() : cache.restore(stage, fp, run, failures);
            if (shared.isPresent()) {
                provenance.stage(stage, fp, shared.get().seconds(), shared.get().summary());
                listener.notRun(stage.id(), SHARED);
                results.put(stage, shared.get().summary());
                continue;
            }
            StageExecutor ex = executors.get(stage);
            if (ex == null) {
                throw new PsaException("stage " + stage.id() + " is not available in this build");
            }
            boolean resumed = run.begin(stage, fp, forced);
            if (!resumed) {
                failures.clear(stage.id());
            }
            LOG.info("{} {}", stage.id(), resumed ? "resuming" : "running");
            listener.started(stage.id(), resumed);
            List<Failures.Failure> before = failures.all();
            long t0 = System.nanoTime();
            Map<String, Object> summary;
            try {
                summary = ex.run(new RunContext(stage, settings, run, resumed, failures, listener));
            } catch (PsaException e) {
                throw e;
            } catch (Exception e) {
                throw new PsaException("stage " + stage.id() + " failed: " + e.getMessage(), e);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            run.finish(stage, fp, seconds, summary);
            provenance.stage(stage, fp, seconds, summary);
            cache.store(stage, fp, run, failures.all().stream().filter(f -> !before.contains(f)
                    || f.stage().equals(stage.id()) || f.stage().startsWith(stage.id() + "-")).toList());
            LOG.info(String.format(Locale.ROOT, "[%s] %.1f s done: %s", stage.id(), seconds, summary));
            listener.finished(stage.id(), seconds, summary);
            results.put(stage, summary);
        }
        return results;
    }

    /** The trained model file that replaces a training stage ({@code cls.weights}, {@code aff.weights}). */
    static Optional<Path> trainedWeights(Stage stage, PipelineConfig pc) {
        return switch (stage) {
            case TRAIN_CLS -> pc.clsWeights();
            case TRAIN_AFF -> pc.affWeights();
            default -> Optional.empty();
        };
    }

    /**
     * The fingerprint of a training stage replaced by a trained file: the file's SHA-256 and the
     * keys that still decide what the later stages compute with it — for the classifier the data
     * and the backbone, for AffinityNet the backbone and its {@code aff.} keys (radius, head
     * channels). Training-only keys ({@code cls.epochs}, ...) and the ImageNet weights
     * ({@code backbone.weights}) do not count, nor where the file lies.
     */
    static String weightsFingerprint(Stage stage, Map<String, String> config, String sha256) {
        List<String> prefixes = stage == Stage.TRAIN_CLS ? List.of("data.", "backbone.") : List.of("backbone.", "aff.");
        Map<String, String> parts = new TreeMap<>();
        config.forEach((k, v) -> {
            if (prefixes.stream().anyMatch(k::startsWith) && !WEIGHT_KEYS.contains(k)) {
                parts.put(k, v);
            }
        });
        parts.put("file:weights", sha256);
        return RunFolder.digest(parts);
    }

    private static final Set<String> WEIGHT_KEYS = Set.of("backbone.weights", "cls.weights", "aff.weights");

    /**
     * The model files a stage reads, by a name that does not depend on where the run folder lies;
     * their SHA-256 is part of its fingerprint (a replaced {@code cls/model.npz} makes the CAMs out
     * of date): the ImageNet weights for both trainings, the trained classifier for cams and
     * AffinityNet for the walk. A {@code cls.weights} / {@code aff.weights} file is not listed here:
     * its digest is already in the fingerprint of the training stage it replaces, upstream.
     */
    static Map<String, Path> modelInputs(Stage stage, PipelineConfig pc, RunFolder run) {
        Map<String, Path> files = new TreeMap<>();
        switch (stage) {
            case TRAIN_CLS, TRAIN_AFF -> pc.backboneWeights().ifPresent(f -> files.put("backbone.weights", f));
            case CAMS -> {
                if (pc.clsWeights().isEmpty()) {
                    files.put("cls/model.npz", run.resolve("cls").resolve("model.npz"));
                }
            }
            case WALK -> {
                if (pc.affWeights().isEmpty()) {
                    files.put("aff/model.npz", run.resolve("aff").resolve("model.npz"));
                }
            }
            case TRAIN_SEG -> {
                // seg.init = classifier starts from the classifier's backbone
                pc.backboneWeights().ifPresent(f -> files.put("backbone.weights", f));
                if (pc.clsWeights().isEmpty()) {
                    files.put("cls/model.npz", run.resolve("cls").resolve("model.npz"));
                }
            }
            case SEG -> files.put("seg/model.npz", run.resolve("seg").resolve("model.npz"));
            default -> {
            }
        }
        return files;
    }
}
