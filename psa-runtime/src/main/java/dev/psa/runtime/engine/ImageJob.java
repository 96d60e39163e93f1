package dev.psa.runtime.engine;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.io.Locations;
import dev.psa.api.stage.ImageReduction;
import dev.psa.api.stage.ImageStage;
import dev.psa.runtime.PsaRuntime;
import dev.psa.runtime.config.Settings;
import dev.psa.runtime.pipeline.RunContext;
import dev.psa.runtime.pipeline.Stage;
import dev.psa.runtime.stages.ImageStages;
import dev.psa.runtime.stages.PipelineStages;

/**
 * Everything a worker needs to rebuild a per-image stage on its own (another JVM, another
 * machine): the stage, the run folder and the configuration values with their sources. Plain
 * strings only, so it travels with Java serialization.
 *
 * @param stage    the stage id ({@code cams}, {@code eval})
 * @param part     what of the stage, when it has parts ({@code rw} of eval), else empty
 * @param runDir   the run folder, as the workers see it (a shared file system)
 * @param values   the configuration values, by key
 * @param sources  where each value came from
 */
public record ImageJob(String stage, String part, String runDir, Map<String, String> values, Map<String, String> sources)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public ImageJob {
        requireNonNull(stage, "stage is null");
        requireNonNull(part, "part is null");
        requireNonNull(runDir, "runDir is null");
        values = new LinkedHashMap<>(values);
        sources = new LinkedHashMap<>(sources);
    }

    /** The job of the stage a pipeline context runs. */
    public static ImageJob of(RunContext ctx) {
        return of(ctx, "");
    }

    /** The job of one part of the stage a pipeline context runs (eval's {@code cam}, {@code seeds}, {@code rw}). */
    public static ImageJob of(RunContext ctx, String part) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        ctx.settings().values().forEach((k, v) -> {
            values.put(k, v.value());
            sources.put(k, v.source());
        });
        return new ImageJob(ctx.stage(), part, Locations.string(ctx.run().root()), values, sources);
    }

    /**
     * This job with one value added, unless the configuration already gives the key (a user's value wins).
     *
     * @param source where the value comes from, recorded like a config source
     */
    public ImageJob withDefault(String key, String value, String source) {
        if (values.containsKey(key)) {
            return this;
        }
        Map<String, String> v = new LinkedHashMap<>(values);
        Map<String, String> src = new LinkedHashMap<>(sources);
        v.put(key, value);
        src.put(key, source);
        return new ImageJob(stage, part, runDir, v, src);
    }

    /** The configuration values with their sources. */
    public Map<String, ComponentConfig.Value> configValues() {
        Map<String, ComponentConfig.Value> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, new ComponentConfig.Value(v, sources.getOrDefault(k, "job"))));
        return out;
    }

    /** Opens the stage with settings already resolved (the driver, the local engine). */
    public ImageStage open(Settings settings) {
        return ImageStages.open(Stage.of(stage), settings, Locations.path(runDir));
    }

    /** Opens the reduction (eval's part) with settings already resolved. */
    public <P extends ImageReduction.Part<P>> ImageReduction<P> openReduction(Settings settings) {
        return ImageStages.reduction(Stage.of(stage), part, settings, Locations.path(runDir));
    }

    /** Opens the reduction on a worker, as {@link #open()}. */
    public <P extends ImageReduction.Part<P>> ImageReduction<P> openReduction() {
        return openReduction(workerSettings());
    }

    /**
     * Opens the stage on a worker: discovers the components (built-in and {@code plugins.dir}) and
     * resolves the configuration again there, as the driver did.
     */
    public ImageStage open() {
        return open(workerSettings());
    }

    private Settings workerSettings() {
        PsaRuntime runtime = PsaRuntime.builder().base(configValues()).build();
        return runtime.settings(PipelineStages.KINDS);
    }
}
