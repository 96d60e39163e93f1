package dev.psa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.api.io.Locations;
import dev.psa.cli.commands.ConfigCommand;
import dev.psa.cli.commands.PluginsCommand;
import dev.psa.cli.commands.PredictCommand;
import dev.psa.cli.commands.BenchCommand;
import dev.psa.cli.commands.DataCommand;
import dev.psa.cli.commands.DemoCommand;
import dev.psa.cli.commands.EvalCommands;
import dev.psa.cli.commands.RunCommand;
import dev.psa.cli.commands.StageCommands;
import dev.psa.cli.commands.SweepCommand;
import dev.psa.cli.commands.WeightsCommand;
import dev.psa.runtime.PsaRuntime;
import dev.psa.runtime.config.ConfigLoader;
import dev.psa.runtime.config.Settings;
import dev.psa.runtime.discovery.ComponentKind;
import dev.psa.runtime.discovery.Components;
import dev.psa.runtime.discovery.Discovery;
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
        subcommands = {PluginsCommand.class, ConfigCommand.class, DataCommand.class,
                BenchCommand.class, WeightsCommand.class,
                EvalCommands.Eval.class, EvalCommands.Report.class,
                EvalCommands.Runs.class,
                RunCommand.class, DemoCommand.class,
                StageCommands.TrainCls.class, StageCommands.Cams.class,
                StageCommands.Seeds.class, StageCommands.TrainAff.class,
                StageCommands.Walk.class, StageCommands.TrainSeg.class, StageCommands.Seg.class, PredictCommand.class,
                SweepCommand.class,
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

    private PsaRuntime runtime;

    /** The command line with psa's error handling and exit codes. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PsaCommand());
        cl.setAllowSubcommandsAsOptionParameters(true);
        // --run hdfs://nn:8020/runs/a, file:///tmp/a: a path of the scheme's file system; plain paths as always
        cl.registerConverter(Path.class, Locations::path);
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

    /**
     * The runtime of this command's configuration (preset, --config, --set, --plugins), built once:
     * the config is read and the components discovered here; plugin problems print as warnings.
     *
     * @throws ConfigException when the configuration cannot be read
     */
    public PsaRuntime runtime() {
        if (runtime == null) {
            runtime = PsaRuntime.builder().preset(preset).config(configFile).sets(sets).plugins(pluginDir).build();
            for (String w : runtime.discovery().warnings()) {
                System.err.println("warning: " + w);
            }
        }
        return runtime;
    }

    /** Discovered components (built-in + plugin folder). */
    public Discovery.Result discovery() {
        return runtime().discovery();
    }

    public Components components() {
        return runtime().components();
    }

    /**
     * Resolves and validates the configuration, creating the components of the given kinds.
     *
     * @throws ConfigException with every problem found
     */
    public Settings settings(Set<ComponentKind<?>> kinds) {
        return runtime().settings(kinds);
    }

    /**
     * Like {@link #settings(Set)}, with {@code base} (e.g. a run folder's recorded values) under
     * this command's preset, file and {@code --set}.
     */
    public Settings settings(Set<ComponentKind<?>> kinds, Map<String, ComponentConfig.Value> base) {
        return runtime().settings(kinds, base);
    }

    /** Whether any {@code --set} was given. */
    public boolean hasSets() {
        return !sets.isEmpty();
    }

    /** The preset given with --preset, or null. */
    public String presetName() {
        return preset;
    }

    /** Selects a preset (for commands such as {@code demo} that imply one). */
    public void usePreset(String name) {
        this.preset = name;
        this.runtime = null;
    }

    /** Adds a {@code --set} override (for command options that map to keys). */
    public void addSet(String keyValue) {
        sets.add(keyValue);
        this.runtime = null;
    }

    /** Replaces the --config file (for {@code psa config check FILE}). */
    public void useConfigFile(Path file) {
        this.configFile = file;
        this.runtime = null;
    }

    /** The config file given with --config, if any. */
    public Path configFile() {
        return configFile;
    }

    /** Fills {@code --preset} completion candidates from the presets shipped in the jar. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
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
