package dev.psa.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetToolsTest {
    @TempDir
    Path tmp;

    @Test
    void statsOfTheRealSampleMatchAnIndependentCount() {
        DatasetTools.Stats s = DatasetTools.stats(TestData.vocSample());
        String text = String.join("\n", s.lines());
        // reference: a stdlib-only Python PNG decoder over the same 80 masks
        assertThat(s.files()).isEqualTo(80);
        assertThat(s.images()[0]).isEqualTo(80);
        assertThat(s.pixels()[0]).isEqualTo(9979958);
        assertThat(s.images()[15]).isEqualTo(29);
        assertThat(s.pixels()[15]).isEqualTo(901935);
        assertThat(s.images()[16]).isEqualTo(3);
        assertThat(s.pixels()[16]).isEqualTo(4595);
        assertThat(s.ignorePixels()).isEqualTo(721997);
        assertThat(text).contains("80 masks in SegmentationClass");
        assertThat(text.lines()).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("person", "29", "901935"));
        assertThat(text.lines()).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("aeroplane", "9", "153078"));
        assertThat(text.lines()).anySatisfy(l -> assertThat(l).startsWith("ignore (255)").endsWith("721997"));
    }

    @Test
    void statsOfASynthDatasetUseItsClassesAndReportBadMasks() throws Exception {
        Path out = tmp.resolve("VOCdevkit/VOC2012");
        DatasetTools.synth(out, 5, 2);
        Files.writeString(out.resolve("SegmentationClass/broken.png"), "nope");
        DatasetTools.Stats s = DatasetTools.stats(tmp.resolve("VOCdevkit"));
        assertThat(s.classes().names()).containsExactly("background", "red", "green", "blue", "magenta");
        assertThat(s.files()).isEqualTo(5);
        assertThat(s.pixels()[0] + s.pixels()[1] + s.pixels()[2] + s.pixels()[3] + s.pixels()[4]).isEqualTo(5L * 96 * 96);
        assertThat(String.join("\n", s.lines())).contains("skipped 1 unreadable file(s):", "broken.png");
    }
}
