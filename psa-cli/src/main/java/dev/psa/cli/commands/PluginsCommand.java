package dev.psa.cli.commands;

import java.io.PrintWriter;
import dev.psa.cli.PsaCommand;
import dev.psa.runtime.discovery.DiscoveredProvider;
import dev.psa.runtime.discovery.Discovery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine;
import picocli.CommandLine.Spec;

/** {@code psa plugins}: every discovered component with its kind, class, jar and version. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the components found (built in and in the plugin folder).")
public final class PluginsCommand implements Runnable {
    @ParentCommand
    PsaCommand psa;

    @Option(names = "--details", description = "also print each backbone's trainable parameter count")
    boolean details;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        Discovery.Result r = psa.discovery();
        out.printf("%-14s %-16s %-8s %-60s %s%n", "kind", "name", "version", "class", "from");
        for (DiscoveredProvider d : r.all()) {
            out.printf("%-14s %-16s %-8s %-60s %s%n", d.kind().word(), d.name(), d.version(),
                    d.provider().getClass().getName(), d.origin());
        }
        if (details) {
            BackboneDetails.print(r, out);
        }
        out.flush();
    }
}
