package dev.psa.runtime.sweep;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.api.io.AtomicFiles;
import dev.psa.api.io.Locations;
import dev.psa.api.stage.ImageFailure;
import dev.psa.api.stage.StageListener;
import dev.psa.eval.report.SweepReport;
import dev.psa.eval.store.ResultsStore;
import dev.psa.eval.store.RunInfo;
import dev.psa.eval.store.StoreConfig;
import dev.psa.runtime.config.Sections;
import dev.psa.runtime.config.Settings;
import dev.psa.runtime.discovery.Components;
import dev.psa.runtime.pipeline.Failures;
import dev.psa.runtime.pipeline.Pipeline;
import dev.psa.runtime.pipeline.RunFolder;
import dev.psa.runtime.pipeline.Stage;
import dev.psa.runtime.pipeline.StageExecutor;
import dev.psa.runtime.stages.DataCheck;
import dev.psa.runtime.stages.PipelineStages;
import dev.psa.runtime.sweep.SweepGrid.Variant;
import dev.psa.runtime.sweep.SweepLedger.StageRecord;
import dev.psa.runtime.sweep.SweepLedger.VariantRecord;

/**
 * Runs a sweep: every variant of a {@link SweepGrid} into its own run folder {@code <sweep>/<variant>},
 * stage by stage across the variants (every variant's train-cls, then every variant's cams, …), so the
 * stages variants share are computed first, once, and then linked from the {@link SweepCache} into the
 * other variants. Resumable: a second invocation skips what is finished (the pipeline's fingerprints)
 * and resumes what was interrupted. A variant whose stage fails is reported and left out of the later
 * stages; the others go on. Finished variants are recorded in the results store with their grid values.
 */
public final class Sweep {
    private static final Logger LOG = LoggerFactory.getLogger(Sweep.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What the sweep tells its caller besides each variant's stage events. */
    public interface Listener {
        /** The stage events of one variant (a console listener that names the variant, …). */
        default StageListener stages(Variant variant) {
            return StageListener.NONE;
        }

        /** A variant stopped at a stage: {@code message} says why; the other variants go on. */
        default void variantFailed(Variant variant, String stage, String message) {
        }
    }

    /**
     * What a sweep did.
     *
     * @param dir     the sweep folder
     * @param ledger  its {@code sweep.json}
     */
    public record Result(Path dir, SweepLedger ledger) {
        /** The variants that failed. */
        public List<VariantRecord> failed() {
            return ledger.variants.stream().filter(v -> "failed".equals(v.status)).toList();
        }
    }

    private Sweep() {
    }

    /**
     * @param sweepDir   the sweep folder ({@code runs/<name>})
     * @param name       the sweep's name
     * @param grid       the grid
     * @param base       the config values every variant starts from (preset, file, {@code --set})
     * @param components the discovered components
     * @param failFast   stop a variant at its first bad image (as {@code psa run --fail-fast})
     * @param listener   events
     * @throws ConfigException with every problem of every variant's config, before any stage runs
     */
    public static Result run(Path sweepDir, String name, SweepGrid grid, Map<String, ComponentConfig.Value> base,
            Components components, boolean failFast, Listener listener) {
        requireNonNull(components, "components is null");
        return run(sweepDir, name, grid, base, failFast, listener, PipelineStages.all(),
                values -> Settings.resolve(values, Sections.all(), components, PipelineStages.KINDS));
    }

    /** {@link #run(Path, String, SweepGrid, Map, Components, boolean, Listener)} with other stage executors and config sections. */
    static Result run(Path sweepDir, String name, SweepGrid grid, Map<String, ComponentConfig.Value> base,
            boolean failFast, Listener listener, Map<Stage, StageExecutor> executors,
            Function<Map<String, ComponentConfig.Value>, Settings> resolver) {
        requireNonNull(listener, "listener is null");
        Path dir = sweepDir.toAbsolutePath().normalize();
        if (!Locations.isLocal(dir)) {
            throw new PsaException("sweep folder " + Locations.string(dir) + " is not on the local file system: sweeps"
                    + " lock their folder with an OS file lock and share stage outputs by hard links, so --out must be"
                    + " a local (or locally mounted) folder; single runs (psa run --run " + dir.toUri().getScheme()
                    + "://...) work on Hadoop file systems");
        }
        List<Variant> variants = grid.variants();
        Map<Variant, Settings> settings = resolve(variants, base, resolver);
        try {
            AtomicFiles.createDirectories(dir);
        } catch (IOException e) {
            throw new PsaException("sweep folder " + dir + " cannot be created: " + e.getMessage(), e);
        }
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(dir.resolve(RunFolder.LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = tryLock(ch, dir)) {
            SweepLedger ledger = ledger(dir, name, grid, variants);
            double wallBefore = ledger.wallSeconds;
            Runnable clock = () -> ledger.wallSeconds = wallBefore + (System.nanoTime() - t0) / 1e9;
            SweepCache cache = new SweepCache(dir);
            cache.deleteTemporaries();
            Pipeline pipeline = new Pipeline(executors, cache);
            Map<Variant, RunFolder> runs = new LinkedHashMap<>();
            for (Variant v : variants) {
                runs.put(v, open(dir, name, v));
            }
            Set<Variant> failed = new LinkedHashSet<>();
            for (Stage stage : Stage.values()) {
                for (Variant v : variants) {
                    if (!failed.contains(v)) {
                        backfill(cache, stage, runs.get(v));
                    }
                }
                for (Variant v : variants) {
                    if (failed.contains(v)) {
                        continue;
                    }
                    VariantRecord rec = ledger.variant(v.name()).orElseThrow();
                    Recorder recorder = new Recorder(listener.stages(v), runs.get(v), rec, ledger, dir, cache,
                            clock);
                    try {
                        pipeline.run(settings.get(v), runs.get(v), stage, stage, false, failFast, recorder);
                    } catch (RuntimeException e) {
                        failed.add(v);
                        rec.status = "failed";
                        rec.error = stage.id() + ": " + e.getMessage();
                        ledger.write(dir);
                        LOG.warn("sweep {}: variant {} failed at {}", name, v.name(), stage.id(), e);
                        listener.variantFailed(v, stage.id(), e.getMessage());
                    }
                }
            }
            for (Variant v : variants) {
                VariantRecord rec = ledger.variant(v.name()).orElseThrow();
                if (!failed.contains(v)) {
                    rec.status = "done";
                    rec.error = null;
                }
            }
            clock.run();
            ledger.updated = Instant.now().toString();
            ledger.write(dir);
            record(dir, name, ledger, variants, settings, runs);
            return new Result(dir, ledger);
        } catch (IOException e) {
            throw new PsaException("sweep folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code <sweep>/report/index.html} from the sweep's {@code sweep.json} and its variants'
     * evaluations ({@link SweepReport}).
     *
     * @throws PsaException when the folder holds no sweep
     */
    public static Path report(Path sweepDir) {
        Path dir = sweepDir.toAbsolutePath().normalize();
        SweepLedger l = SweepLedger.read(dir).orElseThrow(() -> new PsaException(dir + ": no sweep here (no "
                + SweepLedger.FILE + "); run psa sweep first, or give --out DIR where it ran"));
        List<SweepReport.Row> rows = new ArrayList<>();
        for (VariantRecord v : l.variants) {
            Map<String, String> how = new LinkedHashMap<>();
            v.stages.forEach((s, r) -> how.put(s, r.how));
            rows.add(new SweepReport.Row(v.name, v.values, dir.resolve(v.name), v.status, v.error, v.secondsRun(),
                    v.secondsSaved(), how));
        }
        return SweepReport.write(dir, l.name, new ArrayList<>(l.grid.keySet()), rows, l.wallSeconds);
    }

    /**
     * Gives the cache a stage a variant finished but the cache lacks (the sweep was killed between the
     * two), so that the other variants still share it.
     */
    private static void backfill(SweepCache cache, Stage stage, RunFolder run) {
        Optional<RunFolder.StageState> st = run.state(stage);
        if (st.isPresent() && st.get().done() && cache.entry(stage, st.get().fingerprint()).isEmpty()) {
            List<Failures.Failure> own = new Failures(run.resolve("failures.json"), false).all().stream()
                    .filter(f -> f.stage().equals(stage.id()) || f.stage().startsWith(stage.id() + "-")
                            || stage == Stage.TRAIN_CLS && f.stage().equals(DataCheck.STAGE)).toList();
            cache.store(stage, st.get().fingerprint(), run, own);
        }
    }

    /** Every variant's settings; every problem of every variant in one exception. */
    private static Map<Variant, Settings> resolve(List<Variant> variants, Map<String, ComponentConfig.Value> base,
            Function<Map<String, ComponentConfig.Value>, Settings> resolver) {
        Map<Variant, Settings> out = new LinkedHashMap<>();
        Set<String> problems = new LinkedHashSet<>();
        for (Variant v : variants) {
            try {
                out.put(v, resolver.apply(v.over(base)));
            } catch (ConfigException e) {
                e.problems().forEach(p -> problems.add("variant " + v.name() + ": " + p));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(new ArrayList<>(problems));
        }
        return out;
    }

    private static FileLock tryLock(FileChannel ch, Path dir) throws IOException {
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new PsaException("sweep folder " + dir + " is in use by another psa process ("
                    + dir.resolve(RunFolder.LOCK) + " is locked); wait for it to end or choose another --name");
        }
        return lock;
    }

    /** The sweep's ledger: the earlier one (its variants' records kept) or a new one. */
    private static SweepLedger ledger(Path dir, String name, SweepGrid grid, List<Variant> variants) {
        SweepLedger old = SweepLedger.read(dir).orElse(null);
        SweepLedger l = new SweepLedger();
        l.name = name;
        l.grid = new LinkedHashMap<>(grid.keys());
        l.created = old != null && old.created != null ? old.created : Instant.now().toString();
        l.updated = Instant.now().toString();
        l.wallSeconds = old != null ? old.wallSeconds : 0;
        for (Variant v : variants) {
            VariantRecord r = old == null ? null : old.variant(v.name()).orElse(null);
            if (r == null) {
                r = new VariantRecord();
                r.name = v.name();
            }
            r.values = new LinkedHashMap<>(v.values());
            r.status = "pending";
            r.error = null;
            l.variants.add(r);
        }
        l.write(dir);
        return l;
    }

    /**
     * Opens a variant's run folder; a new one gets a run.json whose id names the sweep, so the results
     * store keeps the variants of two sweeps apart.
     */
    private static RunFolder open(Path dir, String name, Variant v) {
        RunFolder run = new RunFolder(dir.resolve(v.name()));
        Path runJson = run.resolve("run.json");
        if (!Files.exists(runJson)) {
            String created = Instant.now().toString();
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("created", created);
            doc.put("id", name + "/" + v.name() + "@" + created);
            try {
                AtomicFiles.write(runJson, JSON.writeValueAsBytes(doc));
            } catch (IOException e) {
                throw new PsaException("cannot write " + runJson + ": " + e.getMessage(), e);
            }
        }
        return run;
    }

    /** Records every finished, evaluated variant in the results store with its grid values. */
    private static void record(Path dir, String name, SweepLedger ledger, List<Variant> variants,
            Map<Variant, Settings> settings, Map<Variant, RunFolder> runs) {
        List<Variant> done = variants.stream().filter(v -> "done".equals(ledger.variant(v.name()).orElseThrow().status)
                && Files.isDirectory(runs.get(v).resolve("eval"))).toList();
        if (done.isEmpty()) {
            return;
        }
        Optional<StoreConfig> sc = settings.get(done.get(0)).find(StoreConfig.class);
        if (sc.isEmpty() || !sc.get().enabled()) {
            return;
        }
        try (ResultsStore store = ResultsStore.open(sc.get())) {
            for (Variant v : done) {
                store.recordSweepVariant(name, dir.toString(), v.name(), RunInfo.read(runs.get(v).root()), v.values());
            }
        }
    }

    /** Passes a variant's stage events on and notes in the ledger how the variant got each stage. */
    private static final class Recorder implements StageListener {
        private final StageListener next;
        private final RunFolder run;
        private final VariantRecord rec;
        private final SweepLedger ledger;
        private final Path dir;
        private final SweepCache cache;
        private final Runnable clock;

        Recorder(StageListener next, RunFolder run, VariantRecord rec, SweepLedger ledger, Path dir, SweepCache cache,
                Runnable clock) {
            this.next = next;
            this.run = run;
            this.rec = rec;
            this.ledger = ledger;
            this.dir = dir;
            this.cache = cache;
            this.clock = clock;
        }

        @Override
        public void started(String stage, boolean resumed) {
            next.started(stage, resumed);
        }

        @Override
        public void progress(String stage, int done, int total, String item) {
            next.progress(stage, done, total, item);
        }

        @Override
        public void failed(ImageFailure failure) {
            next.failed(failure);
        }

        @Override
        public void finished(String stage, double seconds, Map<String, Object> summary) {
            // a resumed stage: the interrupted attempt's time is lost, this attempt's is what is known
            rec.stages.put(stage, new StageRecord(SweepLedger.RAN, seconds));
            save();
            next.finished(stage, seconds, summary);
        }

        @Override
        public void notRun(String stage, String reason) {
            double recorded = run.state(Stage.of(stage)).map(RunFolder.StageState::seconds).orElse(0.0);
            if (reason.equals(Pipeline.SHARED)) {
                rec.stages.put(stage, new StageRecord(SweepLedger.SHARED, recorded));
                save();
            } else if (reason.equals(Pipeline.UP_TO_DATE) && !rec.stages.containsKey(stage)) {
                // finished by an invocation that was killed before it noted the stage: the cache says
                // whether this variant computed it
                Optional<RunFolder.StageState> st = run.state(Stage.of(stage));
                String how = st.flatMap(x -> cache.entry(Stage.of(stage), x.fingerprint()))
                        .map(e -> e.computedIn().equals(run.root().toString()) ? SweepLedger.RAN : SweepLedger.SHARED)
                        .orElse(SweepLedger.EARLIER);
                rec.stages.put(stage, new StageRecord(how, recorded));
                save();
            }
            next.notRun(stage, reason);
        }

        private void save() {
            clock.run();
            ledger.updated = Instant.now().toString();
            ledger.write(dir);
        }
    }
}
