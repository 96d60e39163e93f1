package dev.psa.cli.commands;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import dev.psa.cli.PsaCommand;
import dev.psa.runtime.config.Settings;
import dev.psa.eval.Evaluation;
import dev.psa.eval.EvalConfig;
import dev.psa.eval.GroundTruth;
import dev.psa.eval.UnlabeledPrediction;
import dev.psa.eval.report.ReportConfig;
import dev.psa.eval.report.RunReport;
import dev.psa.eval.store.ResultsStore;
import dev.psa.eval.store.RunTables;
import dev.psa.eval.store.StoreConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import dev.psa.api.spi.Dataset;
import dev.psa.data.DataConfig;
import dev.psa.eval.store.RunInfo;
import dev.psa.runtime.discovery.ComponentKind;
import dev.psa.seg.SegConfig;
import picocli.CommandLine;
import picocli.CommandLine.Spec;

/** {@code psa eval}, {@code psa report}, {@code psa runs list|show|compare}. */
public final class EvalCommands {
    private EvalCommands() {
    }

    /** {@code psa eval --pred DIR --data DATASET_DIR [--list IDS_FILE] [--json FILE] [--unlabeled-pred-as background]}. */
    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "mIoU of a folder of predicted PNGs (or CAM .npz files, with a background-threshold sweep).")
    public static final class Eval implements Runnable {
        @ParentCommand
        PsaCommand psa;

        @Option(names = "--pred", required = true, paramLabel = "DIR", description = "predicted <id>.png or <id>.npz files")
        Path pred;

        @Option(names = "--data", required = true, paramLabel = "DATASET_DIR", description = "VOC-layout root with SegmentationClass")
        Path data;

        @Option(names = "--list", paramLabel = "IDS_FILE", description = "ids to evaluate (default: every prediction with a mask)")
        Path list;

        @Option(names = "--json", paramLabel = "FILE", description = "write every number as JSON")
        Path json;

        @Option(names = "--unlabeled-pred-as", paramLabel = "none|background",
                description = "a predicted 255 counts for no class (SEAM, default) or as background (IRN)")
        String unlabeled;

        @Override
        public void run() {
            Settings s = psa.settings(Set.of());
            Optional<UnlabeledPrediction> u = Optional.ofNullable(unlabeled).map(UnlabeledPrediction::parse);
            Optional<ResultsStore> store = s.get(StoreConfig.class).enabled()
                    && RunInfo.isRun(pred.toAbsolutePath().getParent())
                    ? Optional.of(ResultsStore.open(s.get(StoreConfig.class))) : Optional.empty();
            try {
                System.out.print(Evaluation.run(new Evaluation.Options(pred, data, Optional.ofNullable(list),
                        Optional.ofNullable(json), u), s.get(EvalConfig.class), store).text());
            } finally {
                store.ifPresent(ResultsStore::close);
            }
        }
    }

    /** {@code psa report RUN}. */
    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Write RUN/report/index.html: provenance, metrics, charts and a gallery (self-contained).")
    public static final class Report implements Runnable {
        @ParentCommand
        PsaCommand psa;

        @Parameters(index = "0", paramLabel = "RUN", description = "a run folder")
        Path run;

        @Option(names = "--data", paramLabel = "DATASET_DIR",
                description = "VOC-layout root for images and ground truth (default: the run's dataset from config)")
        Path data;

        @Override
        public void run() {
            Optional<GroundTruth> gt;
            Optional<GroundTruth> segGt;
            Settings s;
            if (data != null) {
                s = psa.settings(Set.of());
                gt = Optional.of(GroundTruth.vocFolder(data, s.get(EvalConfig.class).maskDir(), Optional.empty()));
                segGt = gt; // the folder has every split's images and masks
            } else {
                // the run's own dataset (from --config / --preset), so synthetic runs get images and masks too
                s = psa.settings(Set.of(ComponentKind.DATASET));
                DataConfig d = s.get(DataConfig.class);
                Dataset dataset = s.component(ComponentKind.DATASET, Dataset.class);
                gt = Optional.of(GroundTruth.of(dataset, d.name(), d.list().map(Path::toString).orElse(d.split())));
                // the segmentation gallery: the split the network segmented (seg.split, e.g. val)
                String segSplit = s.get(SegConfig.class).split();
                segGt = dataset.splits().contains(segSplit)
                        ? Optional.of(GroundTruth.of(dataset, d.name(), segSplit)) : Optional.empty();
            }
            Path index = RunReport.write(run, gt, segGt, s.get(ReportConfig.class));
            System.out.println("report: " + index.toAbsolutePath());
        }
    }

    /** {@code psa runs list|show|compare}. */
    @Command(name = "runs", mixinStandardHelpOptions = true, description = "The results store: list, show and compare runs.",
            subcommands = {Runs.ListRuns.class, Runs.Show.class, Runs.Compare.class})
    public static final class Runs implements Runnable {
        @ParentCommand
        PsaCommand psa;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }

        ResultsStore open() {
            return ResultsStore.open(psa.settings(Set.of()).get(StoreConfig.class));
        }

        /** {@code psa runs list}. */
        @Command(name = "list", mixinStandardHelpOptions = true, description = "Every recorded run and stage.")
        public static final class ListRuns implements Runnable {
            @ParentCommand
            Runs runs;

            @Override
            public void run() {
                try (ResultsStore store = runs.open()) {
                    RunTables.list(store).forEach(System.out::println);
                }
            }
        }

        /** {@code psa runs show RUN}. */
        @Command(name = "show", mixinStandardHelpOptions = true, description = "One run: config, stages, per-class IoU.")
        public static final class Show implements Runnable {
            @ParentCommand
            Runs runs;

            @Parameters(index = "0", paramLabel = "RUN")
            String run;

            @Override
            public void run() {
                try (ResultsStore store = runs.open()) {
                    RunTables.show(store, run).forEach(System.out::println);
                }
            }
        }

        /** {@code psa runs compare A B …}. */
        @Command(name = "compare", mixinStandardHelpOptions = true, description = "Per-class IoU differences between runs.")
        public static final class Compare implements Runnable {
            @ParentCommand
            Runs runs;

            @Parameters(arity = "1..*", paramLabel = "RUN", description = "run ids or names, or a sweep name (its variants)")
            List<String> ids;

            @Option(names = "--stage", paramLabel = "STAGE", description = "cam, seeds or rw (default: every stage)")
            String stage;

            @Override
            public void run() {
                try (ResultsStore store = runs.open()) {
                    RunTables.compare(store, ids, Optional.ofNullable(stage)).forEach(System.out::println);
                }
            }
        }
    }
}
