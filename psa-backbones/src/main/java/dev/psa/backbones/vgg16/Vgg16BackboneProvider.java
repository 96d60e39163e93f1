package dev.psa.backbones.vgg16;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneProvider;

/** Provides {@link Vgg16Backbone} as {@code vgg16}. */
public final class Vgg16BackboneProvider implements BackboneProvider {
    @Override
    public String name() {
        return "vgg16";
    }

    @Override
    public String description() {
        return "VGG16-d (DeepLab-LargeFOV) at output stride 8, dilated conv5/fc6; Caffe BGR normalisation";
    }

    /** @param config the {@code backbone.}-scoped view ({@link Vgg16Config} keys) */
    @Override
    public Backbone create(ComponentConfig config) {
        return new Vgg16Backbone(Vgg16Config.from(config));
    }
}
