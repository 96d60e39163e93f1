package dev.psa.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.api.spi.Dataset;
import dev.psa.api.spi.DatasetProvider;
import dev.psa.data.shapes.ShapesDataset;
import dev.psa.data.voc.Voc2012Dataset;

class DataConfigTest {
    @Test
    void defaultsAreTheShapesDataset() {
        DataConfig d = DataConfig.from(ComponentConfig.empty().scoped("data."));
        assertThat(d).isEqualTo(DataConfig.defaults());
        assertThat(d.name()).isEqualTo("shapes");
        assertThat(d.split()).isEqualTo("train");
        assertThat(d.shapes().size()).isEqualTo(96);
        assertThat(d.splitOrList()).isEqualTo("train");
    }

    @Test
    void readsKeysAndReportsAllProblemsTogether() {
        DataConfig d = DataConfig.from(ComponentConfig.ofStrings(Map.of("data.name", "voc2012", "data.root", "/x/VOCdevkit",
                "data.split", "val", "data.list", "/x/ids.txt")).scoped("data."));
        assertThat(d.root()).contains(Path.of("/x/VOCdevkit"));
        assertThat(d.splitOrList()).isEqualTo("/x/ids.txt");
        assertThatThrownBy(() -> DataConfig.from(ComponentConfig.ofStrings(Map.of("data.name", "folder",
                "data.shapes.size", "3", "data.folder.class-names", "bg")).scoped("data.")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(3))
                .hasMessageContaining("data.root").hasMessageContaining("data.shapes.size")
                .hasMessageContaining("data.folder.class-names");
    }

    @Test
    void rootAndListMayBeUrisOfInstalledFileSystems() {
        DataConfig d = DataConfig.from(ComponentConfig.ofStrings(Map.of("data.name", "voc2012",
                "data.root", "file:///x/VOCdevkit", "data.list", "file:///x/ids.txt")).scoped("data."));
        assertThat(d.root()).contains(Path.of("/x/VOCdevkit"));
        assertThatThrownBy(() -> DataConfig.from(ComponentConfig.ofStrings(Map.of("data.name", "voc2012",
                "data.root", "nosuch://host/voc", "data.list", "nosuch://host/ids.txt")).scoped("data.")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("data.root: nosuch://host/voc: no file system for scheme nosuch")
                .hasMessageContaining("data.list: nosuch://host/ids.txt: no file system for scheme nosuch")
                .hasMessageNotContaining("required for data.name");
    }

    @Test
    void providersAreDiscoveredByName() {
        Map<String, DatasetProvider> byName = new TreeMap<>();
        for (DatasetProvider p : ServiceLoader.load(DatasetProvider.class)) {
            byName.put(p.name(), p);
        }
        assertThat(byName.keySet()).containsExactly("folder", "shapes", "voc2012");
        Dataset shapes = byName.get("shapes").create(ComponentConfig.ofStrings(Map.of("data.shapes.count", "5",
                "data.shapes.size", "32")).scoped("data."));
        assertThat(shapes).isInstanceOf(ShapesDataset.class);
        assertThat(shapes.samples("trainval")).hasSize(5);
        Dataset voc = byName.get("voc2012").create(ComponentConfig.ofStrings(Map.of("data.name", "voc2012",
                "data.root", TestData.vocSample().toString())).scoped("data."));
        assertThat(voc).isInstanceOf(Voc2012Dataset.class);
        assertThatThrownBy(() -> byName.get("voc2012").create(ComponentConfig.empty().scoped("data.")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("data.root");
    }
}
