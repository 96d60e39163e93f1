package dev.psa.cli.commands;

import java.util.LinkedHashMap;
import java.util.Map;
import dev.psa.api.spi.WalkSolver;
import dev.psa.cli.PsaCommand;
import dev.psa.crf.CrfBench;
import dev.psa.randomwalk.WalkBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code psa bench crf|walk}: quick benchmarks printing one machine-readable line per result. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Quick benchmarks (JMH ones live in psa-bench).",
        subcommands = {BenchCommand.Crf.class, BenchCommand.Walk.class})
public final class BenchCommand implements Runnable {
    @ParentCommand
    PsaCommand psa;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code psa bench crf [--size WxH] [--labels L]} → {@code crf ms=<median>}. */
    @Command(name = "crf", mixinStandardHelpOptions = true, description = "Dense CRF, PSA settings, 10 iterations.")
    public static final class Crf implements Runnable {
        @Option(names = "--size", paramLabel = "WxH", defaultValue = "500x375", description = "image size (default ${DEFAULT-VALUE})")
        String size;

        @Option(names = "--labels", paramLabel = "L", defaultValue = "3", description = "labels (default ${DEFAULT-VALUE})")
        int labels;

        @Override
        public void run() {
            int[] wh = CrfBench.parseSize(size);
            CrfBench.run(wh[0], wh[1], labels, System.out);
        }
    }

    /** {@code psa bench walk [--size WxH] [--channels C]}: every installed solver on one random graph. */
    @Command(name = "walk", mixinStandardHelpOptions = true,
            description = "Every installed walk solver on the same random graph (radius 5, beta 8, t 256).")
    public static final class Walk implements Runnable {
        @ParentCommand
        BenchCommand bench;

        @Option(names = "--size", paramLabel = "WxH", defaultValue = "63x47", description = "stride-8 grid (default ${DEFAULT-VALUE})")
        String size;

        @Option(names = "--channels", paramLabel = "C", defaultValue = "3", description = "non-zero channels (default ${DEFAULT-VALUE})")
        int channels;

        @Override
        public void run() {
            int[] wh = WalkBench.parseSize(size);
            Map<String, WalkSolver> solvers = new LinkedHashMap<>();
            bench.psa.components().walkSolvers().forEach((name, p) ->
                    solvers.put(name, p.create(dev.psa.api.config.ComponentConfig.empty().scoped("rw."))));
            WalkBench.run(wh[0], wh[1], channels, solvers, System.out);
        }
    }
}
