package dev.psa.runtime.engine;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.stage.ImageReduction;
import dev.psa.api.stage.ImageStage;
import dev.psa.api.stage.StageSummary;
import dev.psa.runtime.config.ThreadsConfig;
import dev.psa.runtime.pipeline.RunContext;

/**
 * {@code engine = local}: every image in the calling thread, in order (the default), with
 * {@code threads.per-image} ND4J threads when set.
 */
public final class LocalEngine implements Engine {
    /** The provider of {@code engine = local}. */
    public static final class Provider implements EngineProvider {
        @Override
        public String name() {
            return "local";
        }

        @Override
        public String description() {
            return "per-image stages in this process, image after image";
        }

        @Override
        public Engine create(ComponentConfig config) {
            return new LocalEngine();
        }
    }

    @Override
    public StageSummary run(ImageJob job, RunContext context) {
        try (Nd4jThreads.Restore threads = Nd4jThreads.limit(perImageThreads(context));
             ImageStage stage = job.open(context.settings())) {
            return stage.run(stage.items(), context.failFast(), context.progress());
        }
    }

    @Override
    public <P extends ImageReduction.Part<P>> P reduce(ImageJob job, RunContext context) {
        try (Nd4jThreads.Restore threads = Nd4jThreads.limit(perImageThreads(context));
             ImageReduction<P> r = job.openReduction(context.settings())) {
            return r.run(r.items(), context.failFast(), context.progress());
        }
    }

    /** {@code threads.per-image} (0: leave ND4J's threads as they are). */
    static int perImageThreads(RunContext context) {
        return context.settings().find(ThreadsConfig.class).map(ThreadsConfig::perImage).orElse(0);
    }
}
