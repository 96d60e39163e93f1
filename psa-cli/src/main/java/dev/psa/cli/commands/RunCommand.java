package dev.psa.cli.commands;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.io.Locations;
import dev.psa.cli.PsaCommand;
import dev.psa.runtime.PsaRuntime;
import dev.psa.runtime.config.Settings;
import dev.psa.cli.output.ConsoleListener;
import dev.psa.cli.output.Output;
import dev.psa.cli.output.RunLogAppender;
import dev.psa.runtime.pipeline.RunFolder;
import dev.psa.runtime.pipeline.Stage;
import dev.psa.runtime.stages.PipelineStages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code psa run --config FILE [--from STAGE] [--to STAGE] [--set k=v]}: train-cls → cams → seeds →
 * train-aff → walk → eval → report into one run folder.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the pipeline (train-cls, cams, seeds, train-aff, walk, train-seg, seg, eval, report) into a run folder."
                + " Stages whose outputs are complete for the same config are skipped; a changed key re-runs the"
                + " stages that depend on it; an interrupted stage resumes.")
public final class RunCommand implements Runnable {
    @ParentCommand
    PsaCommand psa;

    @Option(names = "--run", paramLabel = "DIR", description = "run folder (default: runs/<config file name>, or runs/run)")
    Path runDir;

    @Option(names = "--from", paramLabel = "STAGE", description = "re-run from this stage (earlier ones must be complete)")
    String from;

    @Option(names = "--to", paramLabel = "STAGE", description = "stop after this stage")
    String to;

    @Option(names = "--fail-fast", description = "stop at the first bad image instead of recording it")
    boolean failFast;

    @Override
    public void run() {
        Path dir = runDir != null ? runDir : Path.of("runs", psa.configFile() == null ? "run"
                : psa.configFile().getFileName().toString().replaceFirst("\\.[^.]*$", ""));
        Settings s = settings(dir, System.out);
        execute(s, dir, from == null ? Stage.TRAIN_CLS : Stage.of(from), to == null ? Stage.REPORT : Stage.of(to),
                from != null, failFast, System.out);
    }

    /**
     * The run's configuration: with neither {@code --preset} nor {@code --config}, an existing run folder's
     * recorded one (so {@code psa run --run DIR} resumes that run as it was configured; {@code --set} applies on top),
     * else this command's preset, file and {@code --set} alone, as for a new run.
     */
    Settings settings(Path dir, PrintStream out) {
        Map<String, ComponentConfig.Value> recorded = psa.presetName() == null && psa.configFile() == null
                ? RunFolder.recordedConfig(dir.toAbsolutePath()) : Map.of();
        if (recorded.isEmpty()) {
            return psa.settings(PipelineStages.KINDS);
        }
        if (!Output.quiet()) {
            out.println("config: the one recorded in " + Locations.string(dir) + " (no --preset or --config given"
                    + (psa.hasSets() ? "; --set on top" : "") + ")");
        }
        return psa.settings(PipelineStages.KINDS, recorded);
    }

    /** Runs the stages and returns their summaries. */
    public static Map<Stage, Map<String, Object>> execute(Settings s, Path dir, Stage from, Stage to, boolean force,
            boolean failFast, PrintStream out) {
        RunFolder run = new RunFolder(dir);
        if (!Output.quiet()) {
            out.println("run folder: " + Locations.string(run.root()));
        }
        RunLogAppender.attach(run.root().resolve("logs").resolve("psa.log"));
        try {
            return PsaRuntime.run(s, run.root(), new PsaRuntime.RunOptions(from, to, force, failFast,
                    new ConsoleListener(out))).summaries();
        } finally {
            RunLogAppender.detach();
        }
    }
}
