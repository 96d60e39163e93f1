package dev.psa.backbones.resnet38;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneProvider;

/** Provides {@link ResNet38Backbone} as {@code resnet38}. */
public final class ResNet38BackboneProvider implements BackboneProvider {
    @Override
    public String name() {
        return "resnet38";
    }

    @Override
    public String description() {
        return "wider ResNet-38 (A1) at output stride 8, the PSA reference backbone; ImageNet normalisation";
    }

    /** @param config the {@code backbone.}-scoped view ({@link ResNet38Config} keys) */
    @Override
    public Backbone create(ComponentConfig config) {
        return new ResNet38Backbone(ResNet38Config.from(config));
    }
}
