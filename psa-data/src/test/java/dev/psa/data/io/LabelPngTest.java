package dev.psa.data.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.data.TestData;

class LabelPngTest {
    @TempDir
    Path dir;

    @Test
    void anOutputIsCompleteOnlyWhenItReadsBack() throws IOException {
        Path png = dir.resolve("a.png");
        assertThat(LabelPng.isComplete(png)).isFalse(); // missing
        LabelPng.write(png, LabelMap.filled(4, 5, 15));
        assertThat(LabelPng.isComplete(png)).isTrue();
        byte[] whole = Files.readAllBytes(png);
        Files.write(png, Arrays.copyOf(whole, whole.length / 2)); // cut short
        assertThat(LabelPng.isComplete(png)).isFalse();
    }

    @Test
    void vocPaletteMatchesTheDevkitColours() {
        int[] p = LabelPng.vocPalette();
        assertThat(p).hasSize(256);
        assertThat(p[0]).isEqualTo(0x000000);
        assertThat(p[1]).isEqualTo(0x800000); // aeroplane
        assertThat(p[2]).isEqualTo(0x008000);
        assertThat(p[3]).isEqualTo(0x808000);
        assertThat(p[4]).isEqualTo(0x000080);
        assertThat(p[8]).isEqualTo(0x400000);
        assertThat(p[15]).isEqualTo(0xC08080); // person
        assertThat(p[20]).isEqualTo(0x004080); // tvmonitor
        assertThat(p[255]).isEqualTo(0xE0E0C0); // ignore border
        assertThat(Arrays.stream(p).distinct().count()).isEqualTo(256);
    }

    @Test
    void roundTripKeepsEveryLabelAndWritesAPalettePng() throws IOException {
        Random rnd = new Random(7);
        byte[] d = new byte[37 * 23];
        for (int i = 0; i < d.length; i++) {
            int v = rnd.nextInt(22);
            d[i] = (byte) (v == 21 ? 255 : v);
        }
        LabelMap m = new LabelMap(23, 37, d);
        Path f = dir.resolve("sub/a.png");
        LabelPng.write(f, m);
        assertThat(LabelPng.read(f)).isEqualTo(m);

        byte[] bytes = Files.readAllBytes(f);
        // IHDR: bit depth 8, colour type 3 (palette) = PIL mode "P"
        assertThat(bytes[24]).isEqualTo((byte) 8);
        assertThat(bytes[25]).isEqualTo((byte) 3);
        BufferedImage img = ImageIO.read(f.toFile());
        assertThat(img.getColorModel()).isInstanceOf(IndexColorModel.class);
        IndexColorModel cm = (IndexColorModel) img.getColorModel();
        assertThat(cm.getRGB(1) & 0xFFFFFF).isEqualTo(0x800000);
        assertThat(cm.getRGB(255) & 0xFFFFFF).isEqualTo(0xE0E0C0);
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("a.png"); // no temp file left
        }
    }

    @Test
    void readsEightBitGrayLabels() throws IOException {
        BufferedImage g = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY);
        int[] vals = {0, 1, 2, 3, 4, 20, 255, 7, 7, 7, 9, 9, 0, 0, 255};
        g.getRaster().setPixels(0, 0, 5, 3, vals);
        Path f = dir.resolve("gray.png");
        ImageIO.write(g, "png", f.toFile());
        assertThat(LabelPng.read(f).toIntArray()).containsExactly(vals);
    }

    @Test
    void readsRgbImagesPaintedWithTheVocColours() throws IOException {
        int[] p = LabelPng.vocPalette();
        BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        int[] labels = {0, 1, 15, 255, 20, 3};
        for (int i = 0; i < labels.length; i++) {
            rgb.setRGB(i % 3, i / 3, p[labels[i]]);
        }
        Path f = dir.resolve("rgb.png");
        ImageIO.write(rgb, "png", f.toFile());
        assertThat(LabelPng.read(f).toIntArray()).containsExactly(labels);

        rgb.setRGB(1, 1, 0x123456);
        Path bad = dir.resolve("offpalette.png");
        ImageIO.write(rgb, "png", bad.toFile());
        assertThatThrownBy(() -> LabelPng.read(bad)).isInstanceOf(PsaException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("#123456").hasMessageContaining("(y=1, x=1)");
    }

    @Test
    void badFilesGiveErrorsNamingTheFile() throws IOException {
        LabelMap m = LabelMap.filled(40, 40, 3);
        Path good = dir.resolve("good.png");
        LabelPng.write(good, m);
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = dir.resolve("truncated.png");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> LabelPng.read(truncated)).isInstanceOf(PsaException.class)
                .hasMessageContaining(truncated.toString()).hasMessageContaining("truncated");

        Path garbage = dir.resolve("garbage.png");
        Files.writeString(garbage, "this is not a png");
        assertThatThrownBy(() -> LabelPng.read(garbage)).isInstanceOf(PsaException.class)
                .hasMessageContaining(garbage.toString()).hasMessageContaining("not a readable image");

        Path empty = dir.resolve("empty.png");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> LabelPng.read(empty)).isInstanceOf(PsaException.class)
                .hasMessageContaining(empty.toString()).hasMessageContaining("empty");

        Path missing = dir.resolve("missing.png");
        assertThatThrownBy(() -> LabelPng.read(missing)).isInstanceOf(PsaException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("not found");

        // corrupt compressed data inside an otherwise complete file
        byte[] corrupt = bytes.clone();
        int idat = indexOf(corrupt, "IDAT".getBytes());
        for (int i = idat + 6; i < idat + 20; i++) {
            corrupt[i] = (byte) 0xAB;
        }
        Path corruptFile = dir.resolve("corrupt.png");
        Files.write(corruptFile, corrupt);
        assertThatThrownBy(() -> LabelPng.read(corruptFile)).isInstanceOf(PsaException.class)
                .hasMessageContaining(corruptFile.toString());
    }

    @Test
    void realVocMasksDecodeToClassIndices() throws IOException {
        Path sample = TestData.vocSample();
        List<String> ids = Files.readAllLines(sample.resolve("ImageSets/Segmentation/sample.txt")).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        assertThat(ids).hasSize(80);
        TreeSet<Integer> all = new TreeSet<>();
        for (String id : ids) {
            LabelMap m = LabelPng.read(sample.resolve("SegmentationClass/" + id + ".png"));
            m.validate(21, id);
            for (int v : m.classesPresent()) {
                all.add(v);
            }
            assertThat(m.width()).isBetween(100, 500);
            assertThat(m.height()).isBetween(100, 500);
        }
        assertThat(all).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 21).boxed().collect(Collectors.toList()));

        // pixel counts from an independent zlib/filter decoder (Python, stdlib only)
        assertCounts(sample, "2007_000032", 500, 281, new int[][] {{0, 129545}, {1, 4734}, {15, 866}, {255, 5355}});
        assertCounts(sample, "2007_000241", 500, 375, new int[][] {{0, 174967}, {4, 7868}, {255, 4665}});
        assertCounts(sample, "2007_001289", 500, 309, new int[][] {{0, 145310}, {3, 6217}, {255, 2973}});
    }

    private static void assertCounts(Path sample, String id, int w, int h, int[][] counts) {
        LabelMap m = LabelPng.read(sample.resolve("SegmentationClass/" + id + ".png"));
        assertThat(m.width()).isEqualTo(w);
        assertThat(m.height()).isEqualTo(h);
        int[] hist = new int[256];
        for (int v : m.toIntArray()) {
            hist[v]++;
        }
        int total = 0;
        for (int[] c : counts) {
            assertThat(hist[c[0]]).as(id + " class " + c[0]).isEqualTo(c[1]);
            total += c[1];
        }
        assertThat(total).isEqualTo(w * h);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
