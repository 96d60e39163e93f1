package dev.psa.cli.commands;

import java.nio.file.Path;
import dev.psa.cli.PsaCommand;
import dev.psa.runtime.config.Settings;
import dev.psa.runtime.pipeline.RunFolder;
import dev.psa.runtime.pipeline.Stage;
import dev.psa.runtime.stages.PipelineStages;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Command;

/**
 * One pipeline stage on its own: {@code psa train-cls | cams | seeds | train-aff | walk --run DIR}.
 * The config is the one recorded in the run folder by the commands before (preset, file,
 * {@code --set}), with this command's own options on top; the earlier stages must be complete for it. With {@code --resume}
 * an interrupted stage continues (training from its last checkpoint, per-image stages from the
 * first image without a complete output); without it the stage starts over.
 */
public final class StageCommands {
    private StageCommands() {
    }

    abstract static class Base implements Runnable {
        @ParentCommand
        PsaCommand psa;

        @Option(names = "--run", required = true, paramLabel = "DIR", description = "the run folder")
        Path runDir;

        @Option(names = "--resume", description = "continue an interrupted stage instead of starting it over")
        boolean resume;

        @Option(names = "--fail-fast", description = "stop at the first bad image instead of recording it")
        boolean failFast;

        abstract Stage stage();

        @Override
        public void run() {
            // the values earlier commands gave this run folder, under this command's own
            Settings s = psa.settings(PipelineStages.KINDS, RunFolder.recordedConfig(runDir.toAbsolutePath()));
            RunCommand.execute(s, runDir, stage(), stage(), !resume, failFast, System.out);
        }
    }

    /** {@code psa train-cls}. */
    @Command(name = "train-cls", mixinStandardHelpOptions = true,
            description = "Stage 1: train the classifier into RUN/cls (progress, checkpoints, --resume).")
    public static final class TrainCls extends Base {
        @Override
        Stage stage() {
            return Stage.TRAIN_CLS;
        }
    }

    /** {@code psa cams}. */
    @Command(name = "cams", mixinStandardHelpOptions = true,
            description = "Stage 1: multi-scale CAMs of every image into RUN/cam (and CAM-only predictions into RUN/cam-pred).")
    public static final class Cams extends Base {
        @Override
        Stage stage() {
            return Stage.CAMS;
        }
    }

    /** {@code psa seeds}. */
    @Command(name = "seeds", mixinStandardHelpOptions = true,
            description = "Stage 2: CRF-refined seed labels into RUN/seeds.")
    public static final class Seeds extends Base {
        @Override
        Stage stage() {
            return Stage.SEEDS;
        }
    }

    /** {@code psa train-aff}. */
    @Command(name = "train-aff", mixinStandardHelpOptions = true,
            description = "Stage 3: train AffinityNet on the seeds into RUN/aff (progress, checkpoints, --resume).")
    public static final class TrainAff extends Base {
        @Override
        Stage stage() {
            return Stage.TRAIN_AFF;
        }
    }

    /** {@code psa walk}. */
    @Command(name = "walk", mixinStandardHelpOptions = true,
            description = "Stage 4: random walk and pseudo labels into RUN/rw (VOC-palette PNGs).")
    public static final class Walk extends Base {
        @Override
        Stage stage() {
            return Stage.WALK;
        }
    }

    /** {@code psa train-seg}. */
    @Command(name = "train-seg", mixinStandardHelpOptions = true,
            description = "Stage 5: train the segmentation network on the pseudo labels into RUN/seg (progress, checkpoints, --resume).")
    public static final class TrainSeg extends Base {
        @Override
        Stage stage() {
            return Stage.TRAIN_SEG;
        }
    }

    /** {@code psa seg}. */
    @Command(name = "seg", mixinStandardHelpOptions = true,
            description = "Stage 5: segment the evaluation split (seg.split) with the trained network into RUN/seg/pred.")
    public static final class Seg extends Base {
        @Override
        Stage stage() {
            return Stage.SEG;
        }
    }
}
