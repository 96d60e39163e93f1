package dev.psa.data.shapes;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Dataset;
import dev.psa.api.spi.DatasetProvider;
import dev.psa.data.DataConfig;

/** {@code data.name=shapes}: the built-in synthetic dataset (the default). */
public final class ShapesDatasetProvider implements DatasetProvider {
    @Override
    public String name() {
        return "shapes";
    }

    @Override
    public String description() {
        return "built-in synthetic shapes with class marks, generated on the fly (data.shapes.*)";
    }

    /** @param config the view scoped to {@code data.} */
    @Override
    public Dataset create(ComponentConfig config) {
        return new ShapesDataset(DataConfig.from(config).shapes());
    }
}
