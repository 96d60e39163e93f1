package dev.psa.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.psa.api.CamSet;
import dev.psa.api.LabelMap;
import dev.psa.data.io.CamFiles;
import dev.psa.data.io.LabelPng;
import dev.psa.eval.store.ResultsStore;
import dev.psa.eval.store.StoreConfig;
import dev.psa.eval.store.StoredResult;
import dev.psa.eval.store.StoredRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Evaluating the stages of a run folder: CAM sweep + label stage, eval/*.json, results store rows. */
class RunStageEvalTest {
    private static final List<String> IDS = List.of("2007_000032", "2007_000039", "2007_000063");

    @TempDir
    Path tmp;

    /** CAMs made from the masks: 0.5 on the class's pixels, 0.1 elsewhere (and on 255 borders). */
    static CamSet camsFromMask(String id, LabelMap m) {
        int[] fg = java.util.Arrays.stream(m.classesPresent()).filter(c -> c > 0).toArray();
        float[] v = new float[fg.length * m.height() * m.width()];
        int hw = m.height() * m.width();
        for (int c = 0; c < fg.length; c++) {
            for (int i = 0; i < hw; i++) {
                v[c * hw + i] = m.get(i) == fg[c] ? 0.5f : 0.1f;
            }
        }
        INDArray a = Nd4j.create(v, new long[] {fg.length, m.height(), m.width()}, DataType.FLOAT);
        return new CamSet(id, fg, a);
    }

    @Test
    void camSweepAndLabelStageOfARunGoToJsonAndStore() throws Exception {
        Path voc = TestData.vocSample();
        Path run = Files.createDirectories(tmp.resolve("run1"));
        Files.writeString(run.resolve("run.json"), "{\"id\": \"run-uuid-1\", \"name\": \"demo\","
                + " \"created\": \"2026-01-02T03:04:05Z\", \"config\": {\"rw\": {\"beta\": 8}, \"data.name\": \"voc2012\"},"
                + " \"components\": {\"backbone\": \"tiny\"}, \"timings\": {\"cam\": 12.5}}");
        for (String id : IDS) {
            LabelMap m = LabelPng.read(voc.resolve("SegmentationClass/" + id + ".png"));
            CamFiles.write(run.resolve("cam/" + id + ".npz"), camsFromMask(id, m));
            LabelPng.write(run.resolve("rw/" + id + ".png"), m);
        }
        Path list = Files.writeString(tmp.resolve("ids.txt"), String.join("\n", IDS));
        GroundTruth gt = GroundTruth.vocFolder(voc, "SegmentationClass", Optional.of(list));
        try (ResultsStore store = ResultsStore.open(StoreConfig.h2File(tmp.resolve("store/results")))) {
            EvalResult cam = Evaluation.evaluateRunStage(run, "cam", gt, EvalConfig.defaults(), Optional.of(store));
            EvalResult rw = Evaluation.evaluateRunStage(run, "rw", gt, EvalConfig.defaults(), Optional.of(store));

            // t < 0.10: background pixels go to a class; 0.10 <= t < 0.50: exact (ties go to background)
            assertThat(cam.sweep()).isPresent();
            CamThresholdSweep.Result sweep = cam.sweep().get();
            assertThat(sweep.points()).hasSize(61);
            assertThat(sweep.best().threshold()).isEqualTo(0.10);
            assertThat(sweep.best().metrics().meanIou()).isEqualTo(1.0);
            assertThat(sweep.points().get(49).metrics().meanIou()).isEqualTo(1.0);
            ConfusionMatrix atHalf = sweep.points().get(50).matrix(); // t = 0.50 ties every CAM: all background
            assertThat(atHalf.predictedTotal(0)).isEqualTo(atHalf.totalPixels());
            assertThat(sweep.points().get(5).metrics().meanIou()).isLessThan(1.0);
            assertThat(rw.metrics().meanIou()).isEqualTo(1.0);
            assertThat(EvalTable.format(cam)).contains("best 0.10").contains("mIoU: 100.00");

            JsonNode j = EvalJson.mapper().readTree(run.resolve("eval/cam.json").toFile());
            assertThat(j.get("kind").asText()).isEqualTo("cam-threshold-sweep");
            assertThat(j.get("sweep").get("best").asDouble()).isEqualTo(0.10);
            assertThat(j.get("sweep").get("thresholds")).hasSize(61);
            assertThat(j.get("sweep").get("miou").get(10).asDouble()).isEqualTo(1.0);
            assertThat(Files.exists(run.resolve("eval/rw.json"))).isTrue();

            StoredRun r = store.findRun("demo");
            assertThat(r.key()).isEqualTo("run-uuid-1");
            Map<String, StoredResult> latest = store.latestByStage(r.id());
            assertThat(latest).containsOnlyKeys("cam", "rw");
            assertThat(latest.get("cam").bestThreshold()).isEqualTo(0.10);
            assertThat(latest.get("cam").config()).containsEntry("rw.beta", "8").containsEntry("eval.threshold-max", "0.6");
            assertThat(latest.get("cam").components()).containsEntry("backbone", "tiny");
            assertThat(latest.get("cam").timings()).contains("\"stageSeconds\":12.5");
            assertThat(latest.get("rw").images()).isEqualTo(3);
            assertThat(latest.get("rw").classes()).hasSize(21);
        }
    }
}
