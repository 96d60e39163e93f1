package dev.psa.cli.commands;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.stage.StageListener;
import dev.psa.cli.PsaCommand;
import dev.psa.cli.output.ConsoleListener;
import dev.psa.cli.output.Output;
import dev.psa.cli.output.RunLogAppender;
import dev.psa.runtime.PsaRuntime;
import dev.psa.runtime.sweep.Sweep;
import dev.psa.runtime.sweep.SweepGrid;
import dev.psa.runtime.sweep.SweepGrid.Variant;
import dev.psa.runtime.sweep.SweepLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code psa sweep [--grid KEY=V1,V2,...]... [--name NAME] [--out DIR]}: every combination of the grid
 * values as a run folder {@code DIR/NAME/<variant>}, stages with the same fingerprint computed once and
 * shared; then {@code report: PATH}. {@code psa sweep report NAME} writes the comparison page again.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, subcommands = SweepCommand.Report.class,
        description = "Run every combination of config values (--grid KEY=V1,V2,...), each variant a run folder"
                + " under DIR/NAME; a stage with the same fingerprint in several variants is computed once and"
                + " shared. Re-running the same command continues an interrupted sweep.")
public final class SweepCommand implements Runnable {
    /** Also starts the logging, so that the sweep's log file can be attached. */
    private static final Logger LOG = LoggerFactory.getLogger(SweepCommand.class);

    @ParentCommand
    PsaCommand psa;

    @Option(names = "--grid", paramLabel = "KEY=V1,V2,...",
            description = "a config key and the values to try (repeatable; values with commas: separate with ';');"
                    + " also sweep.grid.KEY in the config file")
    List<String> grid = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME",
            description = "the sweep's name (default: sweep.name of the config file, its file name, or 'sweep')")
    String name;

    @Option(names = "--out", paramLabel = "DIR", description = "folder of sweeps (default: runs)")
    Path out;

    @Option(names = "--fail-fast", description = "stop a variant at its first bad image instead of recording it")
    boolean failFast;

    @Override
    public void run() {
        PsaRuntime rt = psa.runtime();
        Map<String, ComponentConfig.Value> values = rt.values();
        SweepGrid g = SweepGrid.of(values, grid);
        String sweepName = name != null ? name : values.containsKey(SweepGrid.NAME_KEY)
                ? values.get(SweepGrid.NAME_KEY).value() : psa.configFile() != null
                ? psa.configFile().getFileName().toString().replaceFirst("\\.[^.]*$", "") : "sweep";
        Path dir = (out != null ? out : Path.of("runs")).resolve(sweepName);
        PrintStream stdout = System.out;
        List<Variant> variants = g.variants();
        say(stdout, "sweep folder: " + dir.toAbsolutePath().normalize() + " (" + variants.size() + " variants)");
        RunLogAppender.attach(dir.toAbsolutePath().resolve("logs").resolve("psa.log"));
        LOG.info("sweep {}: {} variants over {} into {}", sweepName, variants.size(), g.keys(), dir.toAbsolutePath());
        Sweep.Result r;
        try {
            r = Sweep.run(dir, sweepName, g, values, rt.components(), failFast, new Sweep.Listener() {
                @Override
                public StageListener stages(Variant v) {
                    return new ConsoleListener(prefixed(stdout, "[" + v.name() + "] "));
                }

                @Override
                public void variantFailed(Variant v, String stage, String message) {
                    System.err.println("error: variant " + v.name() + " failed at " + stage + ": " + message);
                }
            });
        } finally {
            RunLogAppender.detach();
        }
        double run = 0;
        double saved = 0;
        for (SweepLedger.VariantRecord v : r.ledger().variants) {
            run += v.secondsRun();
            saved += v.secondsSaved();
        }
        say(stdout, String.format(Locale.ROOT, "sweep %s: %d variants, %d failed; stages computed %.1f s, shared %.1f s"
                + " (saved)", sweepName, variants.size(), r.failed().size(), run, saved));
        stdout.println("report: " + Sweep.report(r.dir()));
        if (!r.failed().isEmpty()) {
            List<String> names = r.failed().stream().map(v -> v.name + " (" + v.error + ")").toList();
            throw new PsaException(r.failed().size() + " of " + variants.size() + " variants failed: "
                    + String.join("; ", names));
        }
    }

    private static void say(PrintStream out, String line) {
        if (!Output.quiet()) {
            out.println(line);
        }
    }

    /** {@code out} with every line it prints prefixed (a variant's stage lines: {@code [rw.beta=4] [walk] 2.1 s}). */
    private static PrintStream prefixed(PrintStream out, String prefix) {
        return new PrintStream(out, true) {
            @Override
            public void println(String x) {
                super.println(prefix + x);
            }
        };
    }

    /** {@code psa sweep report NAME [--out DIR]}. */
    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Write DIR/NAME/report/index.html: the variants best first (CAM, seeds, pseudo-label"
                    + " mIoU), per-class IoU heat map, mIoU against each numeric grid key, time computed and saved.")
    public static final class Report implements Runnable {
        @ParentCommand
        SweepCommand sweep;

        @Parameters(index = "0", paramLabel = "NAME", description = "the sweep's name")
        String name;

        @Option(names = "--out", paramLabel = "DIR", description = "folder of sweeps (default: runs)")
        Path out;

        @Override
        public void run() {
            Path base = out != null ? out : sweep.out != null ? sweep.out : Path.of("runs");
            Path dir = base.resolve(name);
            System.out.println("report: " + Sweep.report(dir));
        }
    }
}
