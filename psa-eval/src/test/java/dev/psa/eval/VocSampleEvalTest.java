package dev.psa.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.psa.api.LabelMap;
import dev.psa.data.io.LabelPng;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code psa eval} on the real VOC 2012 sample masks, checked against an independent computation. */
class VocSampleEvalTest {
    private static final int DX = 9;
    private static final int DY = 4;
    private static final int SHIFTED_IMAGES = 24;

    @TempDir
    Path tmp;

    private static String run(Evaluation.Options o, EvalConfig cfg) {
        return Evaluation.run(o, cfg, Optional.empty()).text();
    }

    private static String lastLine(String s) {
        List<String> lines = s.lines().toList();
        return lines.get(lines.size() - 1);
    }

    @Test
    void groundTruthAgainstItselfIsHundred() throws Exception {
        Path voc = TestData.vocSample();
        Path json = tmp.resolve("self.json");
        String out = run(new Evaluation.Options(voc.resolve("SegmentationClass"), voc,
                Optional.of(voc.resolve("ImageSets/Segmentation/sample.txt")), Optional.of(json), Optional.empty()),
                EvalConfig.defaults());
        assertThat(lastLine(out)).isEqualTo("mIoU: 100.00");
        assertThat(out).contains("Evaluated SegmentationClass: 80 images").doesNotContain("absent from");
        JsonNode j = EvalJson.mapper().readTree(json.toFile());
        assertThat(j.get("images").asInt()).isEqualTo(80);
        assertThat(j.get("miou").asDouble()).isEqualTo(1.0);
        assertThat(j.get("classes")).hasSize(21);
        assertThat(j.get("confusionMatrix").get("counts")).hasSize(21);
        assertThat(j.get("confusionMatrix").get("counts").get(0)).hasSize(22);
    }

    /** The 21-class independent reference: intersection and union per class with plain loops. */
    private static double independentMiou(List<Path> masks, boolean unlabeledAsBackground) throws Exception {
        long[] inter = new long[21];
        long[] union = new long[21];
        for (Path f : masks) {
            int[][] gt = readIndices(f);
            int h = gt.length;
            int w = gt[0].length;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int g = gt[y][x];
                    if (g == 255) {
                        continue;
                    }
                    int p = shifted(gt, y, x);
                    if (p == 255 && unlabeledAsBackground) {
                        p = 0;
                    }
                    if (p == g) {
                        inter[g]++;
                        union[g]++;
                    } else {
                        union[g]++;
                        if (p != 255) {
                            union[p]++;
                        }
                    }
                }
            }
        }
        double sum = 0;
        int n = 0;
        for (int c = 0; c < 21; c++) {
            if (union[c] > 0) {
                sum += (double) inter[c] / union[c];
                n++;
            }
        }
        return sum / n;
    }

    /** The shifted prediction at (y, x): the mask moved right by DX and down by DY, background where uncovered. */
    private static int shifted(int[][] gt, int y, int x) {
        int sy = y - DY;
        int sx = x - DX;
        return sy < 0 || sx < 0 ? 0 : gt[sy][sx];
    }

    /** Palette indices through javax.imageio directly (not LabelPng). */
    private static int[][] readIndices(Path f) throws Exception {
        BufferedImage img = ImageIO.read(f.toFile());
        Raster r = img.getRaster();
        int[][] out = new int[img.getHeight()][img.getWidth()];
        for (int y = 0; y < img.getHeight(); y++) {
            r.getSamples(0, y, img.getWidth(), 1, 0, out[y]);
        }
        return out;
    }

    @Test
    void groundTruthAgainstShiftedCopyMatchesIndependentLoop() throws Exception {
        Path voc = TestData.vocSample();
        List<String> ids = Files.readAllLines(voc.resolve("ImageSets/Segmentation/sample.txt")).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).limit(SHIFTED_IMAGES).toList();
        Path pred = Files.createDirectories(tmp.resolve("shifted"));
        List<Path> masks = ids.stream().map(id -> voc.resolve("SegmentationClass/" + id + ".png")).toList();
        for (int i = 0; i < ids.size(); i++) {
            int[][] gt = readIndices(masks.get(i));
            int h = gt.length;
            int w = gt[0].length;
            byte[] d = new byte[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    d[y * w + x] = (byte) shifted(gt, y, x);
                }
            }
            LabelPng.write(pred.resolve(ids.get(i) + ".png"), new LabelMap(h, w, d));
        }
        double expected = independentMiou(masks, false);
        double expectedBg = independentMiou(masks, true);
        assertThat(expected).isBetween(0.3, 0.99);
        assertThat(expectedBg).isNotEqualTo(expected);

        // no --list: every prediction with a mask (the 24 written)
        Path json = tmp.resolve("shift.json");
        String out = run(new Evaluation.Options(pred, voc, Optional.empty(), Optional.of(json), Optional.empty()),
                EvalConfig.defaults());
        assertThat(lastLine(out)).isEqualTo(String.format(Locale.ROOT, "mIoU: %.2f", expected * 100));
        assertThat(EvalJson.mapper().readTree(json.toFile()).get("miou").asDouble()).isCloseTo(expected, within(1e-12));
        assertThat(out).contains("predicted 255 (no label)").contains("counted as no class");

        // IRN's rule, several threads
        EvalConfig threeThreads = new EvalConfig(UnlabeledPrediction.NONE, 0, 0.6, 0.01, 3, "SegmentationClass", false);
        String outBg = run(new Evaluation.Options(pred, voc, Optional.empty(), Optional.of(json),
                Optional.of(UnlabeledPrediction.BACKGROUND)), threeThreads);
        assertThat(lastLine(outBg)).isEqualTo(String.format(Locale.ROOT, "mIoU: %.2f", expectedBg * 100));
        assertThat(EvalJson.mapper().readTree(json.toFile()).get("miou").asDouble())
                .isCloseTo(expectedBg, within(1e-12));
    }

    @Test
    void listedIdsWithoutPredictionAreRecordedFailures() throws Exception {
        Path voc = TestData.vocSample();
        Path pred = Files.createDirectories(tmp.resolve("two"));
        Files.copy(voc.resolve("SegmentationClass/2007_000032.png"), pred.resolve("2007_000032.png"));
        Path list = Files.writeString(tmp.resolve("ids.txt"), "2007_000032\n2007_000033\n");
        Path json = tmp.resolve("two.json");
        String out = run(new Evaluation.Options(pred, voc, Optional.of(list), Optional.of(json), Optional.empty()),
                EvalConfig.defaults());
        assertThat(out).contains("FAILED 1 images").contains("2007_000033").contains("prediction not found")
                .contains("absent from ground truth and prediction");
        assertThat(lastLine(out)).isEqualTo("mIoU: 100.00");
        JsonNode j = EvalJson.mapper().readTree(json.toFile());
        assertThat(j.get("failures")).hasSize(1);
        assertThat(j.get("failures").get(0).get("id").asText()).isEqualTo("2007_000033");
        assertThat(j.get("images").asInt()).isEqualTo(1);
    }
}
