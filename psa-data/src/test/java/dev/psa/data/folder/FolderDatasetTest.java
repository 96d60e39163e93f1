package dev.psa.data.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.config.ComponentConfig;
import dev.psa.data.io.ImageIo;
import dev.psa.data.io.LabelPng;

class FolderDatasetTest {
    @TempDir
    Path root;

    @Test
    void readsImagesLabelsMasksClassesAndSplits() throws IOException {
        fixture();
        FolderDataset ds = (FolderDataset) new FolderDatasetProvider().create(ComponentConfig.ofStrings(
                Map.of("data.name", "folder", "data.root", root.toString())).scoped("data."));
        assertThat(ds.classes().names()).containsExactly("bg", "cat", "dog");
        assertThat(ds.splits()).containsExactly("all", "small");
        List<Sample> all = ds.samples("all");
        assertThat(all).extracting(Sample::id).containsExactly("p1", "p2");
        assertThat(all.get(0).classes()).containsExactly(1, 2);
        assertThat(all.get(1).classes()).containsExactly(2);
        assertThat(all.get(0).mask()).isPresent();
        assertThat(all.get(1).mask()).isEmpty();
        ImageSample p1 = ds.load(all.get(0));
        assertThat(p1.image().shape()).containsExactly(3, 6, 4);
        assertThat(p1.mask().orElseThrow().get(0, 0)).isEqualTo(2);
        assertThat(ds.samples("small")).extracting(Sample::id).containsExactly("p2");

        // the same through inline class names
        FolderDataset inline = FolderDataset.open(root, new FolderConfig("images", "labels.txt", "masks", "none.txt",
                List.of("bg", "cat", "dog"), "splits"));
        assertThat(inline.samples("all")).hasSize(2);
    }

    @Test
    void badListsNameTheFileAndLine() throws IOException {
        fixture();
        Path labels = root.resolve("labels.txt");
        Files.writeString(labels, "p1 cat\np2 dgo\n");
        assertThatThrownBy(() -> FolderDataset.open(root, FolderConfig.defaults())).isInstanceOf(PsaException.class)
                .hasMessageContaining(labels + " line 2").hasMessageContaining("unknown class name 'dgo'")
                .hasMessageContaining("Did you mean 'dog'");
        Files.writeString(labels, "p1 cat\n..\\p2 dog\n");
        assertThatThrownBy(() -> FolderDataset.open(root, FolderConfig.defaults())).isInstanceOf(PsaException.class)
                .hasMessageContaining(labels + " line 2");
        Files.writeString(labels, "p1 cat\np1 dog\n");
        assertThatThrownBy(() -> FolderDataset.open(root, FolderConfig.defaults())).isInstanceOf(PsaException.class)
                .hasMessageContaining("listed twice");
        Files.writeString(labels, "p1 cat\n");
        Files.writeString(root.resolve("splits/small.txt"), "p2\n");
        assertThatThrownBy(() -> FolderDataset.open(root, FolderConfig.defaults()).samples("small"))
                .isInstanceOf(PsaException.class).hasMessageContaining("small.txt line 1")
                .hasMessageContaining("not in the label list");
        Files.delete(root.resolve("classes.txt"));
        assertThatThrownBy(() -> FolderDataset.open(root, FolderConfig.defaults())).isInstanceOf(PsaException.class)
                .hasMessageContaining("classes.txt").hasMessageContaining("data.folder.class-names");
        assertThatThrownBy(() -> FolderDataset.open(root, new FolderConfig("../elsewhere", "labels.txt", "masks",
                "classes.txt", List.of("bg", "x"), "splits"))).isInstanceOf(PsaException.class)
                .hasMessageContaining("outside the dataset root");
    }

    private void fixture() throws IOException {
        Files.writeString(root.resolve("classes.txt"), "bg\ncat\ndog\n");
        Files.writeString(root.resolve("labels.txt"), "# id classes\np1 cat dog\np2, dog\n");
        ImageIo.writePng(root.resolve("images/p1.png"), Nd4j.ones(DataType.FLOAT, 3, 6, 4).muli(9));
        ImageIo.writeJpeg(root.resolve("images/p2.jpg"), Nd4j.ones(DataType.FLOAT, 3, 5, 5), 0.9f);
        LabelPng.write(root.resolve("masks/p1.png"), LabelMap.filled(6, 4, 2));
        Files.createDirectories(root.resolve("splits"));
        Files.writeString(root.resolve("splits/small.txt"), "p2\n");
    }
}
