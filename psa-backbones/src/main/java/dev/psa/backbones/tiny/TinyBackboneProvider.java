package dev.psa.backbones.tiny;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneProvider;

/** Provides {@link TinyBackbone} as {@code tiny}. */
public final class TinyBackboneProvider implements BackboneProvider {
    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public String description() {
        return "small stride-8 CNN (receptive field 24 px) for the demo and tests; trains on CPU in minutes";
    }

    /** @param config the {@code backbone.}-scoped view ({@link TinyConfig} keys) */
    @Override
    public Backbone create(ComponentConfig config) {
        return new TinyBackbone(TinyConfig.from(config));
    }
}
