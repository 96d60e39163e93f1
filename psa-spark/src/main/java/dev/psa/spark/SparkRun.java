package dev.psa.spark;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.psa.api.PsaException;
import dev.psa.api.config.ConfigException;
import dev.psa.api.io.Locations;
import dev.psa.api.stage.ImageFailure;
import dev.psa.api.stage.StageListener;
import dev.psa.runtime.PsaRuntime;
import dev.psa.runtime.pipeline.Stage;
import dev.psa.hadoop.HadoopPaths;

/**
 * The application jar's entry point for {@code spark-submit}: {@code psa run}'s options on a cluster
 * ({@code --preset NAME}, {@code --config FILE}, {@code --run DIR}, {@code --set KEY=VALUE},
 * {@code --from STAGE}, {@code --to STAGE}, {@code --fail-fast}, {@code --plugins DIR}), with
 * {@code engine = spark} set unless given and the master taken from spark-submit. Prints one line
 * per stage and the mIoU lines of eval. Exit codes: 0 ok, 1 failure, 2 usage or config error.
 */
public final class SparkRun {
    private SparkRun() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line; returns the exit code. */
    static int run(PrintStream out, PrintStream err, String... args) {
        HadoopPaths.install();
        PsaRuntime.Builder b = PsaRuntime.builder();
        Path runDir = null;
        Stage from = Stage.TRAIN_CLS;
        Stage to = Stage.REPORT;
        boolean failFast = false;
        List<String> sets = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--fail-fast")) {
                    failFast = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new ConfigException(usage("missing value after " + a));
                }
                String v = args[++i];
                switch (a) {
                    case "--preset" -> b.preset(v);
                    case "--config" -> b.config(Path.of(v));
                    case "--run" -> runDir = Locations.path(v);
                    case "--set" -> sets.add(v);
                    case "--from" -> from = Stage.of(v);
                    case "--to" -> to = Stage.of(v);
                    case "--plugins" -> b.plugins(Path.of(v));
                    default -> throw new ConfigException(usage("unknown option " + a));
                }
            }
            if (runDir == null) {
                throw new ConfigException(usage("--run DIR is required"));
            }
            if (sets.stream().noneMatch(s -> s.startsWith("engine="))) {
                sets.add(0, "engine=spark");
            }
            PsaRuntime psa = b.sets(sets).build();
            psa.discovery().warnings().forEach(w -> err.println("warning: " + w));
            PsaRuntime.Result r = psa.run(runDir, new PsaRuntime.RunOptions(from, to, false, failFast,
                    new Lines(out, err)));
            out.println("run folder: " + Locations.string(r.runDir()));
            return 0;
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (PsaException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static String usage(String problem) {
        return problem + "; usage: SparkRun [--preset NAME] [--config FILE] --run DIR [--set KEY=VALUE]..."
                + " [--from STAGE] [--to STAGE] [--fail-fast] [--plugins DIR]";
    }

    /** One line per stage, the eval's mIoU lines, failures as warnings. */
    private record Lines(PrintStream out, PrintStream err) implements StageListener {
        @Override
        public void notRun(String stage, String reason) {
            out.println("[" + stage + "] " + reason);
        }

        @Override
        public void failed(ImageFailure f) {
            err.println("warning: " + f.stage() + ": " + f.id() + ": " + f.reason());
        }

        @Override
        public void finished(String stage, double seconds, Map<String, Object> summary) {
            out.printf(Locale.ROOT, "[%s] %.1f s: %s%n", stage, seconds, summary);
            if (stage.equals(Stage.EVAL.id())) {
                for (String k : List.of("cam", "seeds", "rw", "seg")) {
                    if (summary.get(k + "-miou") instanceof Number n) {
                        out.printf(Locale.ROOT, "%s mIoU: %.2f%n", k, 100 * n.doubleValue());
                    }
                }
            }
        }
    }
}
