package dev.psa.cli.commands;

import java.nio.file.Path;
import dev.psa.data.DatasetTools;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;
import picocli.CommandLine.Spec;

/** {@code psa data synth|stats}. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Write the synthetic dataset; dataset statistics.",
        subcommands = {DataCommand.Synth.class, DataCommand.Stats.class})
public final class DataCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code psa data synth --out DIR --n N [--seed S]}. */
    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = "Write N images of the built-in shapes dataset in the VOC layout under DIR.")
    public static final class Synth implements Runnable {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (VOC layout)")
        Path out;

        @Option(names = "--n", required = true, paramLabel = "N", description = "number of images")
        int n;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "generator seed (default ${DEFAULT-VALUE})")
        long seed;

        @Override
        public void run() {
            if (n <= 0) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--n must be > 0, got " + n);
            }
            System.out.println(DatasetTools.synth(out, n, seed).line());
        }
    }

    /** {@code psa data stats DIR}. */
    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Per class: number of images and pixels of a VOC-layout dataset.")
    public static final class Stats implements Runnable {
        @Parameters(index = "0", paramLabel = "DIR", description = "VOC-layout root (or a VOCdevkit folder above it)")
        Path dir;

        @Override
        public void run() {
            DatasetTools.stats(dir).lines().forEach(System.out::println);
        }
    }
}
