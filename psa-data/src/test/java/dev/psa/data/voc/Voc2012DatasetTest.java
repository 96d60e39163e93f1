package dev.psa.data.voc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.ClassList;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.data.TestData;
import dev.psa.data.io.ImageIo;
import dev.psa.data.io.LabelPng;

class Voc2012DatasetTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheRealSampleWithLabelsFromItsMasks() {
        Path sample = TestData.vocSample();
        Voc2012Dataset voc = Voc2012Dataset.open(sample);
        assertThat(voc.classes()).isEqualTo(ClassList.voc());
        assertThat(voc.splits()).contains("sample");
        List<Sample> samples = voc.samples("sample");
        assertThat(samples).hasSize(80);
        for (Sample s : samples) {
            assertThat(s.mask()).isPresent();
            LabelMap m = LabelPng.read(s.mask().get());
            int[] fg = Arrays.stream(m.classesPresent()).filter(c -> c > 0).toArray();
            assertThat(s.classes()).containsExactly(fg);
            assertThat(s.classes()).isNotEmpty();
            assertThat(s.image()).isEqualTo(sample.toAbsolutePath().normalize().resolve("JPEGImages/" + s.id() + ".jpg"));
        }
        Sample first = samples.get(0);
        assertThat(first.id()).isEqualTo("2007_000032");
        assertThat(first.classes()).containsExactly(1, 15); // aeroplane, person
        // the sample has no photos: loading names the missing file
        assertThatThrownBy(() -> voc.load(first)).isInstanceOf(PsaException.class)
                .hasMessageContaining("JPEGImages/2007_000032.jpg").hasMessageContaining("not found");
    }

    @Test
    void realMasksWithImagesAndXmlLoadAndAgree() throws IOException {
        Path sample = TestData.vocSample();
        Path voc = tmp.resolve("VOCdevkit/VOC2012");
        List<String> ids = List.of("2007_000032", "2007_000241", "2007_000333", "2007_001289", "2007_001408");
        ClassList cl = ClassList.voc();
        for (String id : ids) {
            LabelMap m = LabelPng.read(sample.resolve("SegmentationClass/" + id + ".png"));
            Files.createDirectories(voc.resolve("SegmentationClass"));
            Files.copy(sample.resolve("SegmentationClass/" + id + ".png"), voc.resolve("SegmentationClass/" + id + ".png"));
            // an image whose colours are the mask's palette colours
            ImageIo.writePng(voc.resolve("JPEGImages/" + id + ".png"), paletteImage(m));
            write(voc.resolve("Annotations/" + id + ".xml"),
                    new VocWriter(voc, cl, VocWriter.Format.PNG).annotation(id + ".jpg", m));
        }
        write(voc.resolve("ImageSets/Segmentation/train.txt"), String.join("\n", ids) + "\n");
        Voc2012Dataset ds = Voc2012Dataset.open(tmp.resolve("VOCdevkit")); // the devkit folder above VOC2012
        assertThat(ds.root()).isEqualTo(voc.toAbsolutePath().normalize());
        for (Sample s : ds.samples("train")) {
            ImageSample is = ds.load(s);
            LabelMap m = is.mask().orElseThrow();
            assertThat(s.classes()).as("XML labels of " + s.id())
                    .containsExactly(Arrays.stream(m.classesPresent()).filter(c -> c > 0).toArray());
            assertThat(is.image().shape()).containsExactly(3, m.height(), m.width());
            int[] pal = LabelPng.vocPalette();
            for (int y = 0; y < m.height(); y += 17) {
                for (int x = 0; x < m.width(); x += 13) {
                    int rgb = pal[m.get(y, x)];
                    assertThat((int) is.image().getFloat(0, y, x)).isEqualTo((rgb >> 16) & 0xFF);
                    assertThat((int) is.image().getFloat(2, y, x)).isEqualTo(rgb & 0xFF);
                }
            }
        }
    }

    @Test
    void trainAugUsesSbdMasksOrSaysWhatIsMissing() throws IOException {
        Path voc = tinyVoc();
        Voc2012Dataset ds = Voc2012Dataset.open(voc);
        assertThat(ds.splits()).containsExactly("train");
        assertThatThrownBy(() -> ds.samples("train_aug")).isInstanceOf(PsaException.class)
                .hasMessageContaining("train_aug").hasMessageContaining("ImageSets/SegmentationAug/train_aug.txt")
                .hasMessageContaining("SegmentationClassAug");

        write(voc.resolve("ImageSets/SegmentationAug/train_aug.txt"), "a\nb\n");
        Voc2012Dataset ds2 = Voc2012Dataset.open(voc);
        assertThatThrownBy(() -> ds2.samples("train_aug")).isInstanceOf(PsaException.class)
                .hasMessageContaining("SegmentationClassAug").hasMessageContaining("missing");

        LabelPng.write(voc.resolve("SegmentationClassAug/b.png"), LabelMap.filled(8, 8, 7));
        Voc2012Dataset ds3 = Voc2012Dataset.open(voc);
        assertThat(ds3.splits()).containsExactly("train", "train_aug");
        List<Sample> aug = ds3.samples("train_aug");
        assertThat(aug.get(1).mask().orElseThrow()).endsWith(Path.of("SegmentationClassAug/b.png"));
        assertThat(aug.get(0).mask()).isEmpty(); // no SBD mask for a
    }

    @Test
    void anyIdListFileIsASplit() throws IOException {
        Path voc = tinyVoc();
        Path list = tmp.resolve("my-list.txt");
        write(list, "# comment\nb  1\n\na\n");
        assertThat(Voc2012Dataset.open(voc).samples(list.toString())).extracting(Sample::id).containsExactly("b", "a");
    }

    @Test
    void badInputsNameTheFileAndTheProblem() throws IOException {
        Path voc = tinyVoc();
        Path list = voc.resolve("ImageSets/Segmentation/evil.txt");
        write(list, "a\n../../etc/passwd\n");
        assertThatThrownBy(() -> Voc2012Dataset.open(voc).samples("evil")).isInstanceOf(PsaException.class)
                .hasMessageContaining(list.toString() + " line 2").hasMessageContaining("../../etc/passwd");
        write(list, "sub/a\n");
        assertThatThrownBy(() -> Voc2012Dataset.open(voc).samples("evil")).isInstanceOf(PsaException.class)
                .hasMessageContaining("line 1").hasMessageContaining("path separators");

        assertThatThrownBy(() -> Voc2012Dataset.open(voc).samples("trian")).isInstanceOf(PsaException.class)
                .hasMessageContaining("unknown split 'trian'").hasMessageContaining("Did you mean 'train'");

        Path xml = voc.resolve("Annotations/a.xml");
        write(xml, "<annotation><object><name>unicorn</name></object></annotation>");
        assertThatThrownBy(() -> Voc2012Dataset.open(voc).samples("train")).isInstanceOf(PsaException.class)
                .hasMessageContaining(xml.toString()).hasMessageContaining("unknown class name 'unicorn'");
        write(xml, "<annotation><object><name>dog</name></object>");
        assertThatThrownBy(() -> Voc2012Dataset.open(voc).samples("train")).isInstanceOf(PsaException.class)
                .hasMessageContaining(xml.toString()).hasMessageContaining("malformed");
        Path secret = tmp.resolve("secret.txt");
        write(secret, "dog");
        write(xml, "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"" + secret.toUri()
                + "\">]><annotation><object><name>&x;</name></object></annotation>");
        assertThatThrownBy(() -> Voc2012Dataset.open(voc).samples("train")).isInstanceOf(PsaException.class)
                .hasMessageContaining(xml.toString()).hasMessageContaining("DOCTYPE");
        write(xml, "<annotation><object><name>dog</name><part><name>head</name></part></object></annotation>");
        Voc2012Dataset ok = Voc2012Dataset.open(voc);
        Sample a = ok.samples("train").get(0);
        assertThat(a.classes()).containsExactly(12);

        // mask whose size differs from its image
        LabelPng.write(voc.resolve("SegmentationClass/a.png"), LabelMap.filled(9, 8, 1));
        assertThatThrownBy(() -> ok.load(a)).isInstanceOf(PsaException.class)
                .hasMessageContaining(voc.resolve("SegmentationClass/a.png").toString())
                .hasMessageContaining("8x9").hasMessageContaining("8x8");
        // label values outside the class range
        LabelPng.write(voc.resolve("SegmentationClass/a.png"), LabelMap.filled(8, 8, 30));
        assertThatThrownBy(() -> ok.load(a)).isInstanceOf(PsaException.class)
                .hasMessageContaining(voc.resolve("SegmentationClass/a.png").toString())
                .hasMessageContaining("label value 30");
        // corrupt image
        Files.write(voc.resolve("JPEGImages/a.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5});
        assertThatThrownBy(() -> ok.load(a)).isInstanceOf(PsaException.class)
                .hasMessageContaining(voc.resolve("JPEGImages/a.png").toString());

        assertThatThrownBy(() -> Voc2012Dataset.open(tmp.resolve("nowhere"))).isInstanceOf(PsaException.class)
                .hasMessageContaining("nowhere").hasMessageContaining("not found");
        Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> Voc2012Dataset.open(tmp.resolve("empty"))).isInstanceOf(PsaException.class)
                .hasMessageContaining("not a VOC 2012 folder");
    }

    /** VOC2012 folder with images a, b (8x8 png), masks for both and split train = [a, b]. */
    private Path tinyVoc() throws IOException {
        Path voc = tmp.resolve("VOC2012");
        for (String id : List.of("a", "b")) {
            ImageIo.writePng(voc.resolve("JPEGImages/" + id + ".png"), Nd4j.zeros(DataType.FLOAT, 3, 8, 8));
            LabelPng.write(voc.resolve("SegmentationClass/" + id + ".png"), LabelMap.filled(8, 8, id.equals("a") ? 12 : 3));
        }
        write(voc.resolve("ImageSets/Segmentation/train.txt"), "a\nb\n");
        return voc;
    }

    private static INDArray paletteImage(LabelMap m) {
        int[] pal = LabelPng.vocPalette();
        float[] v = new float[3 * m.height() * m.width()];
        int plane = m.height() * m.width();
        for (int i = 0; i < plane; i++) {
            int rgb = pal[m.get(i)];
            v[i] = (rgb >> 16) & 0xFF;
            v[plane + i] = (rgb >> 8) & 0xFF;
            v[2 * plane + i] = rgb & 0xFF;
        }
        return Nd4j.create(v, new long[] {3, m.height(), m.width()}, DataType.FLOAT);
    }

    private static void write(Path f, String text) throws IOException {
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }
}
