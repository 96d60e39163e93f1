package dev.psa.data.folder;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.api.spi.Dataset;
import dev.psa.api.spi.DatasetProvider;
import dev.psa.data.DataConfig;

/** {@code data.name=folder}: a custom dataset under {@code data.root} (keys {@code data.folder.*}). */
public final class FolderDatasetProvider implements DatasetProvider {
    @Override
    public String name() {
        return "folder";
    }

    @Override
    public String description() {
        return "custom dataset: images folder + label list + optional masks + own class list (data.folder.*)";
    }

    /** @param config the view scoped to {@code data.} */
    @Override
    public Dataset create(ComponentConfig config) {
        DataConfig d = DataConfig.from(config);
        return FolderDataset.open(d.root().orElseThrow(() -> new ConfigException(
                "data.root: required for data.name=folder: set it to the dataset folder")), d.folder());
    }
}
