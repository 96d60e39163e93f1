package dev.psa.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import com.google.inject.Guice;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.stage.StageListener;
import dev.psa.runtime.config.ConfigLoader;
import dev.psa.runtime.config.Sections;
import dev.psa.runtime.config.Settings;
import dev.psa.runtime.discovery.ComponentKind;
import dev.psa.runtime.discovery.Components;
import dev.psa.runtime.discovery.Discovery;
import dev.psa.runtime.discovery.DiscoveryModule;
import dev.psa.runtime.pipeline.Pipeline;
import dev.psa.runtime.pipeline.RunFolder;
import dev.psa.runtime.pipeline.Stage;
import dev.psa.runtime.stages.PipelineStages;

/**
 * psa as a library: one configuration (a preset, a file and overrides, read once), the components
 * discovered for it (built in and from the plugin folder, bound with Guice), and the pipeline run
 * into a run folder. The command line is one user of this class; a Spark driver, a test or a
 * notebook are others.
 *
 * <pre>{@code
 * PsaRuntime psa = PsaRuntime.builder().preset("demo").set("rw.beta", "16").build();
 * PsaRuntime.Result r = psa.run(Path.of("runs/beta16"));
 * double miou = (Double) r.summaries().get(Stage.EVAL).get("rw-miou");
 * }</pre>
 */
public final class PsaRuntime {
    private final Map<String, ComponentConfig.Value> values;
    private final Discovery.Result discovery;
    private final Components components;

    private PsaRuntime(Map<String, ComponentConfig.Value> values, Discovery.Result discovery) {
        this.values = values;
        this.discovery = discovery;
        this.components = Guice.createInjector(new DiscoveryModule(discovery)).getInstance(Components.class);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The merged raw values: base (e.g. a run folder's recorded config) < preset < file < overrides. */
    public Map<String, ComponentConfig.Value> values() {
        return values;
    }

    /** Everything discovery found, with the problems of plugin jars that did not stop it. */
    public Discovery.Result discovery() {
        return discovery;
    }

    /** The discovered component providers, by kind and name (built-in and plugin alike). */
    public Components components() {
        return components;
    }

    /**
     * Resolves and validates the configuration, creating the components of the given kinds.
     *
     * @throws dev.psa.api.config.ConfigException listing every problem found, cross-key rules included
     */
    public Settings settings(Set<ComponentKind<?>> kinds) {
        return Settings.resolve(values, Sections.all(), components, kinds);
    }

    /**
     * Like {@link #settings(Set)}, with {@code base} (e.g. a run folder's recorded values,
     * {@code RunFolder.recordedConfig}) under this runtime's preset, file and overrides.
     */
    public Settings settings(Set<ComponentKind<?>> kinds, Map<String, ComponentConfig.Value> base) {
        Map<String, ComponentConfig.Value> merged = new LinkedHashMap<>(base);
        merged.putAll(values);
        return Settings.resolve(merged, Sections.all(), components, kinds);
    }

    /** The settings of a full run: every component kind created. */
    public Settings settings() {
        return settings(PipelineStages.KINDS);
    }

    /**
     * Runs the whole pipeline (train-cls … report) into {@code runDir}, skipping stages that are up to
     * date, resuming interrupted ones, events to no one.
     */
    public Result run(Path runDir) {
        return run(runDir, RunOptions.all());
    }

    /** Runs stages {@code options.from()} … {@code options.to()} into {@code runDir}. */
    public Result run(Path runDir, RunOptions options) {
        return run(settings(), runDir, options);
    }

    /** Runs stages {@code options.from()} … {@code options.to()} with already resolved settings. */
    public static Result run(Settings s, Path runDir, RunOptions options) {
        requireNonNull(s, "settings is null");
        requireNonNull(runDir, "runDir is null");
        requireNonNull(options, "options is null");
        RunFolder run = new RunFolder(runDir);
        Map<Stage, Map<String, Object>> summaries = new Pipeline(PipelineStages.all()).run(s, run, options.from(),
                options.to(), options.force(), options.failFast(), options.listener());
        return new Result(run.root(), summaries);
    }

    /**
     * What to run.
     *
     * @param from      first stage; with {@code force} it re-runs even when up to date
     * @param to        last stage
     * @param force     re-run {@code from} even when up to date
     * @param failFast  stop at the first bad image instead of recording it
     * @param listener  receives stage, progress and failure events
     */
    public record RunOptions(Stage from, Stage to, boolean force, boolean failFast, StageListener listener) {
        public RunOptions {
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            requireNonNull(listener, "listener is null");
        }

        /** Every stage, nothing forced, failures recorded, no listener. */
        public static RunOptions all() {
            return new RunOptions(Stage.TRAIN_CLS, Stage.REPORT, false, false, StageListener.NONE);
        }

        public RunOptions withListener(StageListener l) {
            return new RunOptions(from, to, force, failFast, l);
        }
    }

    /**
     * What a run did.
     *
     * @param runDir    the run folder
     * @param summaries every stage of the range with its summary (recorded ones for stages skipped)
     */
    public record Result(Path runDir, Map<Stage, Map<String, Object>> summaries) {
        public Result {
            summaries = Collections.unmodifiableMap(new LinkedHashMap<>(summaries));
        }

        /** A number of a stage's summary ({@code EVAL}, {@code rw-miou}), if it has it. */
        public Optional<Double> number(Stage stage, String key) {
            Map<String, Object> m = summaries.get(stage);
            return m != null && m.get(key) instanceof Number n ? Optional.of(n.doubleValue()) : Optional.empty();
        }
    }

    /** Collects a configuration; {@link #build()} reads it once and discovers the components. */
    public static final class Builder {
        private String preset;
        private Path configFile;
        private final List<String> sets = new ArrayList<>();
        private Path pluginDir;
        private Map<String, ComponentConfig.Value> base = Map.of();
        private ClassLoader loader = PsaRuntime.class.getClassLoader();

        private Builder() {
        }

        /** A preset shipped with psa ({@link ConfigLoader#presets()}), or null. */
        public Builder preset(String name) {
            this.preset = name;
            return this;
        }

        /** A {@code .properties} or {@code .yaml} config file, or null. */
        public Builder config(Path file) {
            this.configFile = file;
            return this;
        }

        /** One override, highest precedence. */
        public Builder set(String key, String value) {
            sets.add(requireNonNull(key, "key is null") + "=" + requireNonNull(value, "value is null"));
            return this;
        }

        /** Overrides as {@code KEY=VALUE} strings (the command line's {@code --set}). */
        public Builder sets(List<String> keyValues) {
            sets.addAll(keyValues);
            return this;
        }

        /** Values under everything else, e.g. a run folder's recorded config. */
        public Builder base(Map<String, ComponentConfig.Value> values) {
            this.base = Map.copyOf(values);
            return this;
        }

        /** A folder of plugin jars; without it, the key {@code plugins.dir} of the config, if set. */
        public Builder plugins(Path dir) {
            this.pluginDir = dir;
            return this;
        }

        /** The class loader of built-in components (default: psa's own). */
        public Builder classLoader(ClassLoader l) {
            this.loader = requireNonNull(l, "classLoader is null");
            return this;
        }

        /**
         * Reads the configuration (once) and discovers the components.
         *
         * @throws dev.psa.api.config.ConfigException for an unreadable file, an unknown preset or a
         *     malformed override
         */
        public PsaRuntime build() {
            Map<String, ComponentConfig.Value> merged = new LinkedHashMap<>(base);
            merged.putAll(ConfigLoader.load(preset, configFile, sets));
            Path plugins = pluginDir != null ? pluginDir : Optional.ofNullable(merged.get("plugins.dir"))
                    .map(v -> Path.of(v.value())).orElse(null);
            return new PsaRuntime(Collections.unmodifiableMap(merged), Discovery.discover(loader, plugins));
        }
    }
}
