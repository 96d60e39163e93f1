package dev.psa.cli.commands;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import dev.psa.api.io.Locations;
import dev.psa.cli.PsaCommand;
import dev.psa.runtime.config.Settings;
import dev.psa.cli.output.Output;
import dev.psa.runtime.pipeline.Failures;
import dev.psa.runtime.pipeline.Stage;
import dev.psa.runtime.stages.PipelineStages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code psa demo [--out DIR]}: the whole pipeline on the built-in synthetic dataset with the tiny
 * backbone on CPU (preset {@code demo}); ends with the mIoU table (CAM, seeds, pseudo labels, the
 * walk's gain) and {@code report: <index.html>}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline on the built-in synthetic dataset (preset demo) and print the result.")
public final class DemoCommand implements Runnable {
    @ParentCommand
    PsaCommand psa;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/demo", description = "run folder (default ${DEFAULT-VALUE})")
    Path out;

    @Override
    public void run() {
        if (psa.presetName() == null) {
            psa.usePreset("demo");
        }
        Settings s = psa.settings(PipelineStages.KINDS);
        PrintStream o = System.out;
        long t0 = System.nanoTime();
        Map<Stage, Map<String, Object>> r = RunCommand.execute(s, out, Stage.TRAIN_CLS, Stage.REPORT, false, false, o);
        Map<String, Object> ev = r.get(Stage.EVAL);
        var failures = new Failures(out.resolve("failures.json"), false).all();
        if (!failures.isEmpty()) {
            o.println(failures.size() + " images failed; see " + out.resolve("failures.json") + " and the report");
        }
        if (!Output.quiet()) {
            o.printf(Locale.ROOT, "done in %.0f s; full log: %s%n", (System.nanoTime() - t0) / 1e9,
                    out.resolve("logs").resolve("psa.log"));
        }
        o.println();
        o.printf("%-34s %8s%n", "stage (train split)", "mIoU %");
        row(o, "CAM (best background threshold)", ev.get("cam-miou"));
        row(o, "seeds (255 = no class)", ev.get("seeds-miou"));
        row(o, "pseudo labels (random walk)", ev.get("rw-miou"));
        if (ev.get("cam-miou") instanceof Number cam && ev.get("rw-miou") instanceof Number rw) {
            o.printf(Locale.ROOT, "%-34s %+8.2f%n", "gain of the walk over the CAMs", 100 * (rw.doubleValue() - cam.doubleValue()));
        }
        if (ev.get("seg-miou") instanceof Number seg) {
            o.println("segmentation mIoU (" + r.get(Stage.SEG).get("split") + "): " + percent(seg));
        }
        o.println("report: " + Locations.string(Locations.path(String.valueOf(r.get(Stage.REPORT).get("report")))
                .toAbsolutePath()));
    }

    private static void row(PrintStream o, String name, Object miou) {
        o.printf("%-34s %8s%n", name, percent(miou));
    }

    static String percent(Object fraction) {
        return fraction instanceof Number n ? String.format(Locale.ROOT, "%.2f", 100 * n.doubleValue()) : "n/a";
    }
}
