package dev.psa.data.shapes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.ImageSample;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.data.DatasetTools;
import dev.psa.data.voc.Voc2012Dataset;
import dev.psa.data.voc.VocWriter;

class ShapesDatasetTest {
    @TempDir
    Path tmp;

    @Test
    void splitsIdsAndLabelsComeFromTheGenerator() {
        ShapesDataset ds = new ShapesDataset(ShapesConfig.defaults().with(48, 10, 5));
        assertThat(ds.classes().names()).containsExactly("background", "red", "green", "blue", "magenta");
        assertThat(ds.samples("train")).extracting(Sample::id)
                .containsExactly("train_00000", "train_00001", "train_00002", "train_00003", "train_00004",
                        "train_00005", "train_00006", "train_00007");
        assertThat(ds.samples("val")).hasSize(2);
        assertThat(ds.samples("trainval")).hasSize(10);
        for (Sample s : ds.samples("trainval")) {
            ImageSample is = ds.load(s);
            int[] fg = java.util.Arrays.stream(is.mask().orElseThrow().classesPresent()).filter(c -> c > 0).toArray();
            assertThat(s.classes()).containsExactly(fg);
            assertThat(is.image().shape()).containsExactly(3, 48, 48);
        }
        assertThatThrownBy(() -> ds.samples("tran")).isInstanceOf(PsaException.class)
                .hasMessageContaining("Did you mean 'train'");
        assertThatThrownBy(() -> ds.generate("train_00008")).isInstanceOf(PsaException.class)
                .hasMessageContaining("not an image of dataset shapes");
    }

    @Test
    void synthWritesTheSameDatasetInTheVocLayout() throws Exception {
        Path out = tmp.resolve("synth");
        DatasetTools.SynthSummary s = DatasetTools.synth(out, 10, 42);
        assertThat(s.train()).isEqualTo(8);
        assertThat(s.val()).isEqualTo(2);
        assertThat(s.line())
                .isEqualTo("wrote 10 images (train 8, val 2) of 96x96 pixels, 5 classes, seed 42 to " + out);
        assertThat(Files.readAllLines(out.resolve("ImageSets/Segmentation/trainval.txt"))).hasSize(10);
        assertThat(out.resolve("JPEGImages/train_00000.png")).exists();
        assertThat(Files.readString(out.resolve("Annotations/train_00000.xml"))).contains("<object>", "<name>");

        ShapesDataset fly = new ShapesDataset(ShapesConfig.defaults().with(96, 10, 42));
        Voc2012Dataset disk = Voc2012Dataset.open(out);
        assertThat(disk.classes()).isEqualTo(fly.classes());
        assertThat(disk.splits()).containsExactly("train", "trainval", "val");
        for (String split : List.of("train", "val")) {
            List<Sample> a = fly.samples(split);
            List<Sample> b = disk.samples(split);
            assertThat(b).extracting(Sample::id).containsExactlyElementsOf(a.stream().map(Sample::id).toList());
            for (int i = 0; i < a.size(); i++) {
                assertThat(b.get(i).classes()).as("labels from XML").containsExactly(a.get(i).classes());
                ImageSample x = fly.load(a.get(i));
                ImageSample y = disk.load(b.get(i));
                assertThat(y.image().data().asFloat()).containsExactly(x.image().data().asFloat());
                assertThat(y.mask()).isEqualTo(x.mask());
            }
        }
    }

    @Test
    void jpegFormatIsReadableToo() {
        Path out = tmp.resolve("jpg");
        DatasetTools.synth(out, ShapesConfig.defaults().with(64, 3, 1), VocWriter.Format.JPEG);
        Voc2012Dataset disk = Voc2012Dataset.open(out);
        Sample s = disk.samples("train").get(0);
        assertThat(s.image().getFileName().toString()).isEqualTo("train_00000.jpg");
        ImageSample is = disk.load(s);
        ShapesImage ref = new ShapesGenerator(ShapesConfig.defaults().with(64, 3, 1)).generate("train", 0);
        double err = is.image().sub(ref.image()).norm1Number().doubleValue() / is.image().length();
        assertThat(err).isLessThan(6);
    }
}
