package dev.psa.examples.resnet50s;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneProvider;

/**
 * Registers {@code resnet50s} through
 * {@code META-INF/services/dev.psa.api.spi.BackboneProvider}; drop the jar into the plugin
 * folder and set {@code backbone.name=resnet50s}.
 */
public final class ResNet50sBackboneProvider implements BackboneProvider {
    @Override
    public String name() {
        return "resnet50s";
    }

    @Override
    public String description() {
        return "example plugin: ResNet-50 (torchvision names) at output stride 8, layer3/layer4 dilated 2/4";
    }

    /** @param config the {@code backbone.}-scoped view ({@link ResNet50sConfig} keys) */
    @Override
    public Backbone create(ComponentConfig config) {
        return new ResNet50sBackbone(ResNet50sConfig.from(config));
    }
}
