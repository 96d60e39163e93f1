package dev.psa.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Set;
import dev.psa.api.config.ComponentConfig;
import dev.psa.cli.PsaCommand;
import dev.psa.runtime.config.Settings;
import dev.psa.runtime.discovery.ComponentKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code psa config show|check}. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Show or check the configuration.",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Check.class})
public final class ConfigCommand implements Runnable {
    @ParentCommand
    PsaCommand psa;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Components whose keys a full check covers (the dataset is created too: its root must exist). */
    static Set<ComponentKind<?>> allKinds() {
        return Set.copyOf(ComponentKind.all());
    }

    /** {@code psa config show}: every key with its value and where the value came from. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the resolved configuration: every key, its value and its source.")
    public static final class Show implements Runnable {
        @ParentCommand
        ConfigCommand config;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Settings s = config.psa.settings(allKinds());
            PrintWriter out = spec.commandLine().getOut();
            int w = s.reads().stream().mapToInt(r -> r.key().length()).max().orElse(10);
            for (ComponentConfig.Read r : s.reads()) {
                String v = r.value() == null ? "(unset)" : r.value();
                out.printf("%-" + w + "s = %-24s # %s%n", r.key(), v, r.source());
            }
            // keys of another registered component than the selected one (e.g. seg.largefov.* with seg.head=aspp)
            s.unused().forEach((key, why) -> out.printf("%-" + w + "s = %-24s # %s; unused: %s%n", key,
                    s.values().get(key).value(), s.values().get(key).source(), why));
            out.flush();
        }
    }

    /** {@code psa config check FILE}: exit 0 when valid, 2 with every problem otherwise. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate a config file; prints every problem and exits 2, or prints 'config ok'.")
    public static final class Check implements Runnable {
        @ParentCommand
        ConfigCommand config;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "the file (default: --config)")
        Path file;

        @Override
        public void run() {
            if (file != null) {
                config.psa.useConfigFile(file);
            }
            config.psa.settings(allKinds());
            spec.commandLine().getOut().println("config ok");
            spec.commandLine().getOut().flush();
        }
    }
}
