package dev.psa.cli.pipeline;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.psa.api.PsaException;
import dev.psa.cli.config.Settings;

/**
 * Runs stages in order into one run folder, skipping those whose outputs are complete for the same
 * inputs and config (fingerprints), clearing and re-running those whose inputs or config changed,
 * and resuming those that were interrupted.
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final Map<Stage, StageExecutor> executors;

    public Pipeline(Map<Stage, StageExecutor> executors) {
        this.executors = new EnumMap<>(requireNonNull(executors, "executors is null"));
    }

    /**
     * @param from      first stage to run; with {@code force} it re-runs even when up to date
     * @param to        last stage to run
     * @return the summary of every stage in [from, to] (skipped ones with their recorded summary)
     */
    public Map<Stage, Map<String, Object>> run(Settings settings, RunFolder run, Stage from, Stage to, boolean force,
            boolean failFast, PrintStream out) {
        if (from.ordinal() > to.ordinal()) {
            throw new PsaException("--from " + from.id() + " comes after --to " + to.id());
        }
        try (AutoCloseable lock = run.lock()) {
            return runLocked(settings, run, from, to, force, failFast, out);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new PsaException("run folder " + run.root() + ": cannot release its lock: " + e.getMessage(), e);
        }
    }

    private Map<Stage, Map<String, Object>> runLocked(Settings settings, RunFolder run, Stage from, Stage to,
            boolean force, boolean failFast, PrintStream out) {
        Provenance provenance = Provenance.open(run, settings);
        Failures failures = new Failures(run.resolve("failures.json"), failFast);
        Map<String, String> config = settings.resolvedValues();
        Map<Stage, String> fingerprints = new EnumMap<>(Stage.class);
        Map<Stage, Map<String, Object>> results = new LinkedHashMap<>();
        for (Stage stage : Stage.values()) {
            String fp = RunFolder.fingerprint(stage, config, fingerprints);
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
                out.println("[" + stage.id() + "] up to date, skipped");
                results.put(stage, run.state(stage).orElseThrow().summary());
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
            out.println("[" + stage.id() + "] " + (resumed ? "resuming" : "running"));
            long t0 = System.nanoTime();
            Map<String, Object> summary;
            try {
                summary = ex.run(new StageContext(settings, run, resumed, failures, out));
            } catch (PsaException e) {
                throw e;
            } catch (Exception e) {
                throw new PsaException("stage " + stage.id() + " failed: " + e.getMessage(), e);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            run.finish(stage, fp, seconds, summary);
            provenance.stage(stage, fp, seconds, summary);
            LOG.info("{} done in {} s", stage.id(), String.format("%.1f", seconds));
            out.printf("[%s] done in %.1f s%n", stage.id(), seconds);
            results.put(stage, summary);
        }
        return results;
    }
}
