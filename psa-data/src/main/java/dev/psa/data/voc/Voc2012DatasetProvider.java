package dev.psa.data.voc;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.api.spi.Dataset;
import dev.psa.api.spi.DatasetProvider;
import dev.psa.data.DataConfig;

/** {@code data.name=voc2012}: PASCAL VOC 2012 (+ SBD) under {@code data.root}. */
public final class Voc2012DatasetProvider implements DatasetProvider {
    @Override
    public String name() {
        return "voc2012";
    }

    @Override
    public String description() {
        return "PASCAL VOC 2012 (+ SBD train_aug) in the VOCdevkit layout under data.root";
    }

    /** @param config the view scoped to {@code data.} */
    @Override
    public Dataset create(ComponentConfig config) {
        DataConfig d = DataConfig.from(config);
        return Voc2012Dataset.open(d.root().orElseThrow(() -> new ConfigException(
                "data.root: required for data.name=voc2012: set it to the VOC2012 folder or the VOCdevkit above it")));
    }
}
