package dev.psa.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.psa.api.ClassList;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.Sample;
import dev.psa.data.io.LabelPng;
import dev.psa.data.shapes.ShapesConfig;
import dev.psa.data.shapes.ShapesDataset;
import dev.psa.data.voc.VocWriter;
import dev.psa.eval.report.ReportConfig;
import dev.psa.eval.report.RunReport;
import dev.psa.eval.report.internal.ImageScore;
import dev.psa.eval.store.ResultsStore;
import dev.psa.eval.store.StoreConfig;
import dev.psa.eval.store.StoredRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evaluation against a {@link dev.psa.api.spi.Dataset} (the built-in synthetic shapes), and psa eval in a run folder. */
class ShapesEvalTest {
    @TempDir
    Path tmp;

    /** Prediction: class 1 erased to background, and the top row unlabeled (255). */
    private static LabelMap degrade(LabelMap m) {
        byte[] d = m.data().clone();
        for (int i = 0; i < d.length; i++) {
            if (d[i] == 1) {
                d[i] = 0;
            }
            if (i < m.width()) {
                d[i] = (byte) 255;
            }
        }
        return new LabelMap(m.height(), m.width(), d);
    }

    /** Independent mIoU: per-class intersection / union with plain loops, 255 = no class. */
    private static double expectedMiou(List<LabelMap> gts, int k) {
        long[] inter = new long[k];
        long[] union = new long[k];
        for (LabelMap gt : gts) {
            LabelMap p = degrade(gt);
            for (int i = 0; i < gt.data().length; i++) {
                int g = gt.get(i);
                int q = p.get(i);
                if (g == 255) {
                    continue;
                }
                union[g]++;
                if (q == g) {
                    inter[g]++;
                } else if (q != 255) {
                    union[q]++;
                }
            }
        }
        double s = 0;
        int n = 0;
        for (int c = 0; c < k; c++) {
            if (union[c] > 0) {
                s += (double) inter[c] / union[c];
                n++;
            }
        }
        return s / n;
    }

    @Test
    void datasetSplitRunFolderStoreAndReport() throws Exception {
        ShapesDataset shapes = new ShapesDataset(ShapesConfig.defaults().with(48, 10, 3));
        ClassList classes = shapes.classes();
        List<Sample> train = shapes.samples("train");

        // 1. a Dataset split as ground truth (virtual mask paths: masks come from Dataset.load)
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve("run.json"), "{\"name\": \"shapes-run\", \"created\": \"2026-03-01T00:00:00Z\"}");
        Path voc = tmp.resolve("voc");
        VocWriter writer = new VocWriter(voc, classes, VocWriter.Format.PNG);
        List<LabelMap> gts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Sample s : train) {
            ImageSample loaded = shapes.load(s);
            LabelMap m = loaded.mask().orElseThrow();
            gts.add(m);
            ids.add(s.id());
            LabelPng.write(run.resolve("rw").resolve(s.id() + ".png"), degrade(m));
            writer.write(s.id(), loaded.image(), m);
        }
        writer.writeSplit("train", ids);
        writer.writeClasses();
        double expected = expectedMiou(gts, classes.size());

        GroundTruth gt = GroundTruth.of(shapes, "shapes", "train");
        assertThat(gt.ids()).isEqualTo(ids);
        EvalResult r = Evaluation.evaluateFolder("rw", run.resolve("rw"), gt,
                new EvalConfig(UnlabeledPrediction.NONE, 0, 0.6, 0.01, 2, "SegmentationClass", false));
        assertThat(r.metrics().meanIou()).isCloseTo(expected, within(1e-12));
        assertThat(r.failures()).isEmpty();
        assertThat(r.metrics().unlabeledPredictions()).isEqualTo(48L * ids.size());

        // 2. psa eval on the run's rw/ folder against the same data written in the VOC layout:
        //    writes RUN/eval/rw.json and a store row
        try (ResultsStore store = ResultsStore.open(StoreConfig.h2File(tmp.resolve("store/results")))) {
            String out = Evaluation.run(new Evaluation.Options(run.resolve("rw"), voc, Optional.empty(),
                    Optional.empty(), Optional.empty()), EvalConfig.defaults(), Optional.of(store)).text();
            List<String> lines = out.lines().toList();
            assertThat(lines.get(lines.size() - 1)).isEqualTo(String.format(Locale.ROOT, "mIoU: %.2f", expected * 100));
            assertThat(out).contains("wrote " + run.resolve("eval/rw.json")).contains("stored as run");
            assertThat(out).contains(classes.name(1));
            StoredRun sr = store.findRun("shapes-run");
            assertThat(store.latestByStage(sr.id()).get("rw").miou()).isCloseTo(expected, within(1e-12));
        }
        assertThat(Files.isRegularFile(run.resolve("eval/rw.json"))).isTrue();

        // 3. the report takes images and masks from the dataset; its gallery of 2 shows the worst and the
        //    best image by the mIoU of their pseudo labels, then the image where each class fares worst
        //    when it is not one of those two
        Path html = RunReport.write(run, Optional.of(gt), new ReportConfig(2, 64, 0.5));
        String page = Files.readString(html);
        List<ImageScore> scores = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            scores.add(ImageScore.of(ids.get(i), LabelPng.read(run.resolve("rw").resolve(ids.get(i) + ".png")),
                    gts.get(i), classes.size()));
        }
        scores.sort(Comparator.comparingDouble(ImageScore::miou).thenComparing(ImageScore::id));
        List<String> rows = new ArrayList<>(List.of(scores.get(0).id(), scores.get(scores.size() - 1).id()));
        for (int c = 1; c < classes.size(); c++) {
            int cls = c;
            scores.stream().filter(sc -> sc.inTruth()[cls])
                    .min(Comparator.comparingDouble((ImageScore sc) -> sc.iou()[cls]).thenComparing(ImageScore::id))
                    .filter(sc -> !rows.contains(sc.id())).ifPresent(sc -> rows.add(sc.id()));
        }
        Matcher shown = Pattern.compile("<tr data-id=\"([^\"]+)\"").matcher(page);
        List<String> gallery = new ArrayList<>();
        while (shown.find()) {
            gallery.add(shown.group(1));
        }
        assertThat(gallery).isEqualTo(rows);
        // 2 charts (per-class IoU, per-image histogram; no CAM curve: no cam stage) + per row image,
        // pseudo labels, ground truth (no CAM, no seeds)
        assertThat(page.split("<img ", -1).length - 1).isEqualTo(2 + rows.size() * 3);
    }

    @Test
    void reportOfAnAlmostEmptyRunFolder() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("bare"));
        LabelPng.write(run.resolve("rw/a.png"), LabelMap.filled(8, 8, 2));
        Path html = RunReport.write(run, Optional.empty(), ReportConfig.defaults());
        String page = Files.readString(html);
        assertThat(page).contains("No run.json").contains("No evaluations yet").contains(">a</td>");
        assertThat(page.split("<img ", -1).length - 1).isEqualTo(1);
    }
}
