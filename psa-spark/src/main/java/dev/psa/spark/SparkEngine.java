package dev.psa.spark;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.io.AtomicFiles;
import dev.psa.api.io.Locations;
import dev.psa.api.stage.ImageReduction;
import dev.psa.api.stage.ImageStage;
import dev.psa.api.stage.Progress;
import dev.psa.api.stage.StageSummary;
import dev.psa.runtime.engine.Engine;
import dev.psa.runtime.engine.EngineProvider;
import dev.psa.runtime.engine.ImageJob;
import dev.psa.runtime.engine.Nd4jThreads;
import dev.psa.runtime.pipeline.RunContext;
import dev.psa.runtime.pipeline.Stage;
import dev.psa.hadoop.HadoopPaths;

/**
 * {@code engine = spark}: a per-image stage as Spark tasks. The driver lists the stage's images and
 * cuts them into contiguous shares (whole multiples of the stage's granularity, e.g. the CAM batch
 * size, so results equal the local engine's); each task rebuilds the stage from the job's
 * configuration (discovery and Guice in the executor), builds its network once, processes its
 * share — skipping complete outputs, so a retried or speculative task does no work twice — and
 * returns counts and failures; the driver merges them and reports progress per finished task.
 *
 * <p>Keys: {@code spark.master} (default {@code local[*]}, or what spark-submit gives), every other
 * {@code spark.*} key passed to Spark as is, and {@code spark.psa.partitions} (shares; default twice
 * the default parallelism). ND4J threads per task ({@code spark.psa.task-threads}, default: machine cores
 * ÷ N on {@code local[N]}, else {@code spark.task.cpus}, also given to executors as
 * {@code OMP_NUM_THREADS} unless {@code spark.executorEnv.OMP_NUM_THREADS} is set): executor cores are
 * shared by concurrent tasks, not oversubscribed.
 */
public final class SparkEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(SparkEngine.class);
    /** psa's own key under {@code spark.}: how many shares (tasks) a stage is cut into. */
    public static final String PARTITIONS = "spark.psa.partitions";
    /** psa's own key under {@code spark.}: ND4J threads per task (0: cores ÷ N on local[N], else spark.task.cpus). */
    public static final String TASK_THREADS = "spark.psa.task-threads";
    /** Eval's worker-thread key: a reduce task sets it to its thread count unless the configuration gives it. */
    static final String EVAL_THREADS = "eval.threads";
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?");

    /** The provider of {@code engine = spark}. */
    public static final class Provider implements EngineProvider {
        @Override
        public String name() {
            return "spark";
        }

        @Override
        public String description() {
            return "per-image stages as Apache Spark tasks (spark.master, spark.*)";
        }

        @Override
        public Engine create(ComponentConfig config) {
            Map<String, String> conf = new TreeMap<>();
            for (String key : config.keys()) {
                if (key.startsWith("spark.")) {
                    conf.put(key, config.getString(key.substring(config.prefix().length()), ""));
                }
            }
            int partitions = config.getInt(PARTITIONS.substring(config.prefix().length()), 0);
            if (partitions < 0) {
                config.problem(PARTITIONS, "must be >= 0 (0: twice the default parallelism), got " + partitions);
            }
            int threads = config.getInt(TASK_THREADS.substring(config.prefix().length()), 0);
            if (threads < 0) {
                config.problem(TASK_THREADS, "must be >= 0 (0: cores ÷ N on local[N], else spark.task.cpus), got "
                        + threads);
            }
            conf.remove(PARTITIONS);
            conf.remove(TASK_THREADS);
            return new SparkEngine(conf, partitions, threads);
        }
    }

    private final Map<String, String> conf;
    private final int partitions;
    private final int taskThreads;
    private final Map<String, Object> described = new LinkedHashMap<>();

    SparkEngine(Map<String, String> conf, int partitions, int taskThreads) {
        this.conf = Map.copyOf(requireNonNull(conf, "conf is null"));
        this.partitions = partitions;
        this.taskThreads = taskThreads;
    }

    @Override
    public StageSummary run(ImageJob job, RunContext ctx) {
        long t0 = System.nanoTime();
        List<String> items;
        int granularity;
        try (ImageStage stage = job.open(ctx.settings())) {
            items = stage.items();
            granularity = stage.granularity();
        }
        if (items.isEmpty()) {
            return new StageSummary(job.stage(), 0, 0, 0, List.of(), 0);
        }
        List<ShareResult> results = onSpark(job, ctx, items, granularity,
                (rdd, threads, done) -> rdd.map(new RunShare(job, ctx.failFast(), threads, done)).collect());
        deleteTemporaries(job);
        return ShareResult.merge(job.stage(), results, (System.nanoTime() - t0) / 1e9);
    }

    @Override
    public <P extends ImageReduction.Part<P>> P reduce(ImageJob job, RunContext ctx) {
        List<String> items;
        try (ImageReduction<P> r = job.openReduction(ctx.settings())) {
            items = r.items();
            if (items.isEmpty()) {
                return r.run(items, ctx.failFast(), Progress.NONE);
            }
        }
        return onSpark(job, ctx, items, 1, (rdd, threads, done) -> rdd
                .map(new ReduceShare<P>(job, ctx.failFast(), threads, done)).reduce(P::merge));
    }

    /** The Spark job over the shares of {@code items}: what {@code body} does with their RDD. */
    @FunctionalInterface
    private interface JobBody<R> {
        R run(JavaRDD<List<String>> shares, int threads, LongAccumulator done);
    }

    private <R> R onSpark(ImageJob job, RunContext ctx, List<String> items, int granularity, JobBody<R> body) {
        JavaSparkContext sc = Contexts.get(sparkConf(job));
        int target = partitions > 0 ? partitions : 2 * Math.max(1, sc.defaultParallelism());
        List<List<String>> shares = shares(items, granularity, target);
        int threads = taskThreads > 0 ? taskThreads : threadsPerTask(sc.getConf());
        String what = job.part().isEmpty() ? job.stage() : job.stage() + " " + job.part();
        LongAccumulator done = sc.sc().longAccumulator("psa " + what + " images");
        Progress progress = ctx.progress();
        int total = items.size();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                progress.onImage((int) Math.min(total, done.value()), total, "task " + end.taskInfo().index());
            }
        };
        describe(sc, shares.size(), threads);
        LOG.info("{} on Spark {} ({}): {} images in {} shares, {} ND4J threads per task", what, sc.version(),
                sc.master(), total, shares.size(), threads);
        sc.sc().addSparkListener(listener);
        sc.setJobDescription("psa " + what + " " + job.runDir());
        Nd4jThreads saved = Nd4jThreads.current();
        try {
            return body.run(sc.parallelize(shares, shares.size()), threads, done);
        } catch (Exception e) { // SparkException is a checked exception, undeclared by Scala
            throw failure(what, e);
        } finally {
            sc.sc().removeSparkListener(listener);
            saved.apply(); // local masters run the tasks in this JVM
            // executors that joined during the job (a lost one replaced, dynamic allocation) count too
            described.merge("executors", executors(sc), (x, y) -> Math.max((Integer) x, (Integer) y));
        }
    }

    @Override
    public Map<String, Object> describe() {
        return Map.copyOf(described);
    }

    private void describe(JavaSparkContext sc, int shares, int threads) {
        described.put("name", "spark");
        described.put("master", sc.master());
        described.put("spark-version", sc.version());
        described.put("executors", executors(sc));
        described.put("default-parallelism", sc.defaultParallelism());
        described.put("partitions", shares);
        described.put("threads-per-task", threads);
    }

    /** Executors now registered (the driver is one in local mode, and not counted on a cluster). */
    private static int executors(JavaSparkContext sc) {
        return Math.max(1, sc.sc().statusTracker().getExecutorInfos().length - (sc.isLocal() ? 0 : 1));
    }

    private SparkConf sparkConf(ImageJob job) {
        SparkConf c = new SparkConf(true); // spark-submit's values (system properties) first
        conf.forEach(c::set);
        if (!c.contains("spark.master")) {
            c.setMaster("local[*]");
        }
        if (!c.contains("spark.app.name")) {
            c.setAppName("psa " + job.stage());
        }
        if (c.get("spark.master").startsWith("local") && !c.contains("spark.ui.enabled")) {
            c.set("spark.ui.enabled", "false");
        }
        if (!c.get("spark.master").startsWith("local") && !c.contains("spark.executorEnv.OMP_NUM_THREADS")) {
            c.setExecutorEnv("OMP_NUM_THREADS", Integer.toString(c.getInt("spark.task.cpus", 1)));
        }
        return c;
    }

    /** ND4J threads per task: on {@code local[N]} the machine's cores ÷ N, else {@code spark.task.cpus}. */
    static int threadsPerTask(SparkConf c) {
        Matcher m = LOCAL.matcher(c.get("spark.master", "local[*]").trim());
        int cores = Runtime.getRuntime().availableProcessors();
        if (m.matches()) {
            String n = m.group(1);
            int tasks = n == null ? 1 : n.equals("*") ? cores : Integer.parseInt(n);
            return Math.max(1, cores / Math.max(1, tasks));
        }
        return Math.max(1, c.getInt("spark.task.cpus", 1));
    }

    /**
     * Contiguous shares of {@code items}, each a whole number of granularity groups (the last one may
     * be short), at most {@code target} of them, as even as the groups allow.
     */
    static List<List<String>> shares(List<String> items, int granularity, int target) {
        int g = Math.max(1, granularity);
        int n = items.size();
        int groups = (n + g - 1) / g;
        int parts = Math.max(1, Math.min(groups, target));
        List<List<String>> out = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) p * groups / parts) * g;
            int to = Math.min(n, (int) ((long) (p + 1) * groups / parts) * g);
            out.add(new ArrayList<>(items.subList(from, to)));
        }
        return out;
    }

    /**
     * Deletes the temporary files that attempts killed mid-write (a lost executor) left in the
     * stage's folders: every task of the job has finished, so none of them is still written.
     */
    private static void deleteTemporaries(ImageJob job) {
        for (String folder : Stage.of(job.stage()).folders()) {
            Path dir = Locations.path(job.runDir()).resolve(folder);
            try {
                List<Path> stale = AtomicFiles.deleteTemporaries(dir);
                if (!stale.isEmpty()) {
                    LOG.info("{}: deleted {} temporary files of lost task attempts", dir, stale.size());
                }
            } catch (IOException e) {
                LOG.warn("{}: cannot delete temporary files of lost task attempts: {}", dir, e.getMessage());
            }
        }
    }

    /** A failed Spark job as psa's error: the stage's own message (fail-fast, a missing file) when there is one. */
    private static PsaException failure(String stage, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PsaException p) {
                return new PsaException(p.getMessage(), e);
            }
        }
        String m = String.valueOf(e.getMessage());
        // the task's exception as Spark reports it: "... executor driver): dev.psa.api.PsaException: MESSAGE\n\tat ..."
        String marker = PsaException.class.getName() + ": ";
        int at = m.indexOf(marker);
        if (at >= 0) {
            String rest = m.substring(at + marker.length());
            int end = rest.indexOf("\n\tat ");
            return new PsaException(end < 0 ? rest.strip() : rest.substring(0, end).strip(), e);
        }
        int nl = m.indexOf('\n');
        return new PsaException("stage " + stage + " failed on Spark: " + (nl < 0 ? m : m.substring(0, nl)), e);
    }

    /** A task on one share of the images: the executor's file systems and ND4J threads set, then the work. */
    abstract static class ShareTask<R> implements Function<List<String>, R> {
        private static final long serialVersionUID = 1L;
        final ImageJob job;
        final boolean failFast;
        final int threads;
        final LongAccumulator done;

        ShareTask(ImageJob job, boolean failFast, int threads, LongAccumulator done) {
            this.job = job;
            this.failFast = failFast;
            this.threads = threads;
            this.done = done;
        }

        @Override
        public final R call(List<String> ids) {
            // the run folder may be hdfs:// or s3a://: the app jar's class loader may not see installed providers
            HadoopPaths.install();
            Nd4jThreads.of(threads).apply();
            return process(ids);
        }

        abstract R process(List<String> ids);
    }

    /** The task: rebuild the stage on the executor, process one share. */
    static final class RunShare extends ShareTask<ShareResult> {
        private static final long serialVersionUID = 1L;

        RunShare(ImageJob job, boolean failFast, int threads, LongAccumulator done) {
            super(job, failFast, threads, done);
        }

        @Override
        ShareResult process(List<String> ids) {
            try (ImageStage stage = job.open()) {
                return ShareResult.of(stage.run(ids, failFast, (d, t, id) -> done.add(1)));
            }
        }
    }

    /** The reduction task: rebuild the reduction on the executor, process one share into a part. */
    static final class ReduceShare<P extends ImageReduction.Part<P>> extends ShareTask<P> {
        private static final long serialVersionUID = 1L;

        ReduceShare(ImageJob job, boolean failFast, int threads, LongAccumulator done) {
            super(job, failFast, threads, done);
        }

        @Override
        P process(List<String> ids) {
            // eval's worker threads follow the task's share of the cores too (unless eval.threads is given)
            ImageJob share = job.withDefault(EVAL_THREADS, Integer.toString(threads), TASK_THREADS);
            try (ImageReduction<P> r = share.openReduction()) {
                P part = r.run(ids, failFast, Progress.NONE);
                done.add(ids.size());
                return part;
            }
        }
    }

    /** One SparkContext per JVM: reused while the configuration stays the same, replaced when it changes. */
    static final class Contexts {
        private static JavaSparkContext current;
        private static Map<String, String> currentConf;

        private Contexts() {
        }

        static synchronized JavaSparkContext get(SparkConf conf) {
            Map<String, String> wanted = new TreeMap<>();
            for (var kv : conf.getAll()) {
                if (!kv._1().equals("spark.app.name")) {
                    wanted.put(kv._1(), kv._2());
                }
            }
            if (current != null && !current.sc().isStopped() && wanted.equals(currentConf)) {
                return current;
            }
            if (current != null && !current.sc().isStopped()) {
                current.stop();
            }
            current = new JavaSparkContext(SparkContext.getOrCreate(conf));
            currentConf = wanted;
            return current;
        }

        /** Stops the context (tests; a JVM's exit stops it too). */
        static synchronized void stop() {
            if (current != null) {
                current.stop();
                current = null;
                currentConf = null;
            }
        }
    }
}
