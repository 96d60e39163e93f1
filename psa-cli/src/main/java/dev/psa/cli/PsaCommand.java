package dev.psa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.google.inject.Guice;
import com.google.inject.Injector;
import org.slf4j.LoggerFactory;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.cli.commands.ConfigCommand;
import dev.psa.cli.commands.PluginsCommand;
import dev.psa.cli.config.ConfigLoader;
import dev.psa.cli.config.Sections;
import dev.psa.cli.config.Settings;
import dev.psa.cli.discovery.ComponentKind;
import dev.psa.cli.discovery.Components;
import dev.psa.cli.discovery.Discovery;
import dev.psa.cli.discovery.DiscoveryModule;
import dev.psa.cli.output.Output;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code psa} command: global options (config, presets, overrides, plugin folder, verbosity)
 * and the Guice bootstrap shared by every subcommand.
 */
@Command(name = "psa", mixinStandardHelpOptions = true, versionProvider = PsaCommand.Version.class,
        description = "Weakly supervised semantic segmentation: PSA / AffinityNet on the JVM.",
        subcommands = {PluginsCommand.class, ConfigCommand.class, dev.psa.cli.commands.DataCommand.class,
                dev.psa.cli.commands.BenchCommand.class, dev.psa.cli.commands.WeightsCommand.class,
                dev.psa.cli.commands.EvalCommands.Eval.class, dev.psa.cli.commands.EvalCommands.Report.class,
                dev.psa.cli.commands.EvalCommands.Runs.class,
                dev.psa.cli.commands.RunCommand.class, dev.psa.cli.commands.DemoCommand.class,
                dev.psa.cli.commands.StageCommands.TrainCls.class, dev.psa.cli.commands.StageCommands.Cams.class,
                dev.psa.cli.commands.StageCommands.Seeds.class, dev.psa.cli.commands.StageCommands.TrainAff.class,
                dev.psa.cli.commands.StageCommands.Walk.class,
                CommandLine.HelpCommand.class})
public final class PsaCommand implements Runnable {
    @Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "config file (.properties or .yaml)")
    Path configFile;

    @Option(names = "--preset", paramLabel = "NAME", scope = CommandLine.ScopeType.INHERIT,
            description = "a preset shipped with psa: ${COMPLETION-CANDIDATES}", completionCandidates = PresetNames.class)
    String preset;

    @Option(names = "--set", paramLabel = "KEY=VALUE", scope = CommandLine.ScopeType.INHERIT,
            description = "override one key (repeatable), e.g. --set rw.beta=16")
    List<String> sets = new ArrayList<>();

    @Option(names = "--plugins", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "folder of plugin jars (also key plugins.dir)")
    Path pluginDir;

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "also show psa's log lines and stack traces on errors (the full log is always in <run>/logs/psa.log)")
    void verbose(boolean on) {
        ((Logger) LoggerFactory.getLogger("dev.psa")).setLevel(on ? Level.DEBUG : Level.INFO);
        Output.mode(on ? Output.Mode.VERBOSE : Output.Mode.NORMAL);
        verbose = on;
    }

    @Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
            description = "show only results and errors: no progress, no stage lines, no warnings")
    void quiet(boolean on) {
        Output.mode(on ? Output.Mode.QUIET : Output.Mode.NORMAL);
    }

    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Discovery.Result discovery;
    private Injector injector;

    /** The command line with psa's error handling and exit codes. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PsaCommand());
        cl.setAllowSubcommandsAsOptionParameters(true);
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            PsaCommand root = cmd.getCommandSpec().root().commandLine().getCommand();
            PrintWriter err = cmd.getErr();
            if (ex instanceof ConfigException) {
                err.println(ex.getMessage());
                return 2;
            }
            if (ex instanceof PsaException || ex instanceof IllegalArgumentException) {
                err.println("error: " + ex.getMessage());
            } else {
                err.println("error: " + ex);
            }
            if (root.verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Discovered components (built-in + plugin folder). */
    public Discovery.Result discovery() {
        if (discovery == null) {
            discovery = Discovery.discover(PsaCommand.class.getClassLoader(), pluginFolder());
            for (String w : discovery.warnings()) {
                System.err.println("warning: " + w);
            }
        }
        return discovery;
    }

    private Path pluginFolder() {
        if (pluginDir != null) {
            return pluginDir;
        }
        try {
            return ConfigLoader.load(preset, configFile, sets).entrySet().stream()
                    .filter(e -> e.getKey().equals("plugins.dir")).map(e -> Path.of(e.getValue().value()))
                    .findFirst().orElse(null);
        } catch (ConfigException e) {
            return null; // reported when the config is resolved
        }
    }

    /** The Guice injector over the discovered components. */
    public Injector injector() {
        if (injector == null) {
            injector = Guice.createInjector(new DiscoveryModule(discovery()));
        }
        return injector;
    }

    public Components components() {
        return injector().getInstance(Components.class);
    }

    /** The merged raw values (preset, file, --set). */
    public java.util.Map<String, ComponentConfig.Value> values() {
        return ConfigLoader.load(preset, configFile, sets);
    }

    /**
     * Resolves and validates the configuration, creating the components of the given kinds.
     *
     * @throws ConfigException with every problem found
     */
    public Settings settings(Set<ComponentKind<?>> kinds) {
        return Settings.resolve(values(), Sections.all(), components(), kinds);
    }

    /**
     * Like {@link #settings(Set)}, with {@code base} (e.g. a run folder's recorded values) under
     * this command's preset, file and {@code --set}.
     */
    public Settings settings(Set<ComponentKind<?>> kinds, Map<String, ComponentConfig.Value> base) {
        Map<String, ComponentConfig.Value> merged = new LinkedHashMap<>(base);
        merged.putAll(values());
        return Settings.resolve(merged, Sections.all(), components(), kinds);
    }

    /** The preset given with --preset, or null. */
    public String presetName() {
        return preset;
    }

    /** Selects a preset (for commands such as {@code demo} that imply one). */
    public void usePreset(String name) {
        this.preset = name;
    }

    /** Adds a {@code --set} override (for command options that map to keys). */
    public void addSet(String keyValue) {
        sets.add(keyValue);
    }

    /** Replaces the --config file (for {@code psa config check FILE}). */
    public void useConfigFile(Path file) {
        this.configFile = file;
        this.discovery = null;
        this.injector = null;
    }

    /** The config file given with --config, if any. */
    public Path configFile() {
        return configFile;
    }

    /** Fills {@code --preset} completion candidates from the presets shipped in the jar. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ConfigLoader.presets().iterator();
        }
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PsaCommand.class.getPackage().getImplementationVersion();
            return new String[] {"psa " + (v == null ? "dev" : v) + " (Java " + System.getProperty("java.version") + ")"};
        }
    }
}
