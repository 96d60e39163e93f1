package dev.psa.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psa.api.LabelMap;
import dev.psa.data.io.LabelPng;
import dev.psa.eval.EvalConfig;
import dev.psa.eval.EvalJson;
import dev.psa.eval.Evaluation;
import dev.psa.eval.GroundTruth;
import dev.psa.eval.report.internal.ImageScore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segmentation gallery: a run trained on two "train" images of the VOC sample whose network
 * segmented three other ("val") images — image | segmentation | ground truth for the val ids, scored
 * against their masks; and no such gallery without {@code seg/pred/}.
 */
class RunReportSegGalleryTest {
    static final List<String> TRAIN = List.of("2007_000032", "2007_000039");
    static final List<String> VAL = List.of("2007_000063", "2007_000121", "2007_000129");

    @TempDir
    Path tmp;

    private GroundTruth split(String name, List<String> ids) throws Exception {
        Path list = Files.writeString(tmp.resolve(name + ".txt"), String.join("\n", ids));
        return RunReportTest.withImages(GroundTruth.vocFolder(dev.psa.eval.TestDataAccess.vocSample(),
                "SegmentationClass", Optional.of(list)));
    }

    /** The src of the {@code <img>} whose alt is {@code alt}. */
    private static String src(String html, String alt) {
        Matcher m = Pattern.compile("alt=\"" + Pattern.quote(alt) + "\" src=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as(alt).isTrue();
        return m.group(1);
    }

    @Test
    void valImagesWithSegmentationAndGroundTruthScoredAgainstTheirMasks() throws Exception {
        Path voc = dev.psa.eval.TestDataAccess.vocSample();
        Path run = Files.createDirectories(tmp.resolve("run"));
        for (String id : TRAIN) {
            LabelPng.write(run.resolve("rw/" + id + ".png"), LabelPng.read(voc.resolve("SegmentationClass/" + id + ".png")));
        }
        GroundTruth train = split("train", TRAIN);
        GroundTruth val = split("val", VAL);
        // the network: exact on the first val image, the top quarter / half cleared to background on the others
        double[] expected = new double[VAL.size()];
        for (int k = 0; k < VAL.size(); k++) {
            LabelMap m = val.mask(VAL.get(k)).orElseThrow();
            byte[] p = m.data().clone();
            Arrays.fill(p, 0, k * m.height() / 4 * m.width(), (byte) 0);
            LabelMap pred = new LabelMap(m.height(), m.width(), p);
            LabelPng.write(run.resolve("seg/pred/" + VAL.get(k) + ".png"), pred);
            expected[k] = ImageScore.of(VAL.get(k), pred, m, 21).miou();
        }
        assertThat(expected[0]).isEqualTo(1.0);
        assertThat(expected[2]).isLessThan(expected[1]).isLessThan(1.0);
        Evaluation.evaluateRunStage(run, "rw", train, EvalConfig.defaults(), Optional.empty());
        EvalJson.write(run.resolve("eval/seg.json"),
                Evaluation.evaluateFolder("seg", run.resolve("seg/pred"), val, EvalConfig.defaults()));

        String html = Files.readString(RunReport.write(run, Optional.of(train), Optional.of(val), ReportConfig.defaults()));
        assertThat(html).contains("<section id=\"seg-gallery-section\">").contains("id=\"seg-gallery\"")
                .contains("Segmentation network: " + val.split());
        String seg = html.substring(html.indexOf("<section id=\"seg-gallery-section\">"));
        seg = seg.substring(0, seg.indexOf("</section>"));
        for (int k = 0; k < VAL.size(); k++) {
            String id = VAL.get(k);
            assertThat(seg).contains("id=\"seg-img-" + id + "\" data-miou=\""
                    + String.format(Locale.ROOT, "%.6f", expected[k]) + "\"");
            assertThat(src(seg, "image " + id)).startsWith("data:image/jpeg;base64,");
            assertThat(src(seg, "segmentation " + id)).startsWith("data:image/png;base64,");
            assertThat(src(seg, "ground truth " + id)).startsWith("data:image/png;base64,");
        }
        // worst first: the half-cleared image, then the exact one as the best
        assertThat(seg.indexOf("seg-img-" + VAL.get(2))).isLessThan(seg.indexOf("seg-img-" + VAL.get(0)));
        assertThat(seg).contains("Worst " + VAL.get(2)).contains("best " + VAL.get(0) + " 100.0");
        // the exact prediction's tile is the ground truth's tile; a damaged one's is not
        assertThat(src(seg, "segmentation " + VAL.get(0))).isEqualTo(src(seg, "ground truth " + VAL.get(0)));
        assertThat(src(seg, "segmentation " + VAL.get(2))).isNotEqualTo(src(seg, "ground truth " + VAL.get(2)));
        // the train ids stay in the main gallery only
        for (String id : TRAIN) {
            assertThat(seg).doesNotContain(id);
            assertThat(html).contains("id=\"img-" + id + "\"");
        }
        // the headline has the segmentation network's row
        assertThat(html).contains("segmentation network (its own split, e.g. val)");
    }

    @Test
    void withoutSegPredictionsThereIsNoSegmentationGallery() throws Exception {
        Path voc = dev.psa.eval.TestDataAccess.vocSample();
        Path run = Files.createDirectories(tmp.resolve("run"));
        for (String id : TRAIN) {
            LabelPng.write(run.resolve("rw/" + id + ".png"), LabelPng.read(voc.resolve("SegmentationClass/" + id + ".png")));
        }
        GroundTruth train = split("train", TRAIN);
        Evaluation.evaluateRunStage(run, "rw", train, EvalConfig.defaults(), Optional.empty());
        String html = Files.readString(RunReport.write(run, Optional.of(train), ReportConfig.defaults()));
        assertThat(html).doesNotContain("seg-gallery").contains("id=\"gallery\"").contains("id=\"img-" + TRAIN.get(0) + "\"");
        // seg/ without pred/ (train-seg done, seg not yet): still none
        Files.createDirectories(run.resolve("seg"));
        html = Files.readString(RunReport.write(run, Optional.of(train), Optional.of(split("val", VAL)), ReportConfig.defaults()));
        assertThat(html).doesNotContain("seg-gallery");
    }
}
