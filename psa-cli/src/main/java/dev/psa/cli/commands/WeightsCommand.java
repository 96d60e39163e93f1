package dev.psa.cli.commands;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Backbone;
import dev.psa.backbones.weights.WeightImport;
import dev.psa.backbones.weights.WeightLoader;
import dev.psa.backbones.weights.WeightMismatchException;
import dev.psa.cli.PsaCommand;
import dev.psa.runtime.config.Settings;
import dev.psa.runtime.discovery.ComponentKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine;
import picocli.CommandLine.Spec;

/** {@code psa weights import|inspect}: pretrained weights from .npz / PyTorch .pth into psa's format. */
@Command(name = "weights", mixinStandardHelpOptions = true, description = "Import or inspect pretrained weights.",
        subcommands = {WeightsCommand.Import.class, WeightsCommand.Inspect.class})
public final class WeightsCommand implements Runnable {
    @ParentCommand
    PsaCommand psa;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code psa weights import --backbone NAME --from FILE --out FILE [--with-heads]}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Convert a .npz or PyTorch .pth state_dict (authors' parameter names) into psa's .npz model format.")
    public static final class Import implements Callable<Integer> {
        @ParentCommand
        WeightsCommand weights;

        @Option(names = "--backbone", paramLabel = "NAME", description = "backbone name (default: backbone.name)")
        String backbone;

        @Option(names = "--from", required = true, paramLabel = "FILE", description = ".npz or .pth file")
        Path from;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "output .npz")
        Path out;

        @Option(names = "--with-heads", description = "also import the classifier / AffinityNet head (fc8; f8_3..5, f9,"
                + " and gn8_3..5 on vgg16), each checked against the backbone; without it heads are left out")
        boolean withHeads;

        /** @return 0 when every key was placed, 2 (nothing written) when some key could not be */
        @Override
        public Integer call() {
            PsaCommand psa = weights.psa;
            if (backbone != null) {
                psa.addSet("backbone.name=" + backbone);
            }
            Settings s = psa.settings(Set.of(ComponentKind.BACKBONE));
            Backbone b = s.component(ComponentKind.BACKBONE, Backbone.class);
            try {
                WeightImport.importWeights(b, from, out, withHeads, WeightLoader.Layout.AUTO).lines()
                        .forEach(System.out::println);
                return 0;
            } catch (WeightMismatchException e) {
                PrintStream err = System.err;
                err.printf("error: %s: does not fit backbone %s (%d missing, %d unexpected, %d wrongly shaped);"
                                + " nothing written%n", from, b.name(), e.missing().size(), e.unexpected().size(),
                        e.misshaped().size());
                e.unexpected().forEach(k -> err.println("  unexpected: " + k));
                e.missing().forEach(k -> err.println("  missing: " + k));
                e.misshaped().forEach(k -> err.println("  wrongly shaped: " + k));
                List<Backbone> others = new ArrayList<>();
                psa.components().backbones().forEach((n, p) ->
                        others.add(p.create(ComponentConfig.empty().scoped("backbone."))));
                WeightImport.fittingBackbone(from, others, b.name()).ifPresentOrElse(
                        fits -> err.println("  (the file fits backbone " + fits + ": psa weights import --backbone " + fits
                                + " --from " + from + " --out " + out + (withHeads ? " --with-heads" : "") + ")"),
                        () -> err.println("  (psa weights inspect " + from + " lists the file's keys and which backbone"
                                + " they fit)"));
                return 2;
            }
        }
    }

    /** {@code psa weights inspect FILE}. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "List the tensors of a weight file and which backbone they fit.")
    public static final class Inspect implements Runnable {
        @ParentCommand
        WeightsCommand weights;

        @Parameters(index = "0", paramLabel = "FILE", description = ".npz or .pth file")
        Path file;

        @Override
        public void run() {
            List<Backbone> candidates = new ArrayList<>();
            weights.psa.components().backbones().forEach((n, p) ->
                    candidates.add(p.create(ComponentConfig.empty().scoped("backbone."))));
            WeightImport.inspect(file, candidates).forEach(System.out::println);
        }
    }
}
