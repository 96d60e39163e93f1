package dev.psa.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.LabelMap;
import dev.psa.data.io.CamFiles;
import dev.psa.data.io.LabelPng;

/**
 * Eval split into shares (as the Spark engine does): each share's partial result, serialised and
 * merged in another order, gives the whole folder's evaluation — matrices, sweep and failures.
 */
class PartialEvalTest {
    private static final List<String> IDS = List.of("2007_000032", "2007_000039", "2007_000063");

    @TempDir
    Path tmp;

    @Test
    void sharesMergedInAnyOrderEqualTheWholeEvaluation() throws Exception {
        Path voc = TestData.vocSample();
        Path run = Files.createDirectories(tmp.resolve("run"));
        for (String id : IDS) {
            LabelMap m = LabelPng.read(voc.resolve("SegmentationClass/" + id + ".png"));
            CamFiles.write(run.resolve("cam/" + id + ".npz"), RunStageEvalTest.camsFromMask(id, m));
            // a prediction that is wrong on the first rows, so the matrices are not diagonal
            byte[] d = m.data().clone();
            for (int i = 0; i < 5 * m.width(); i++) {
                d[i] = 0;
            }
            if (!id.equals("2007_000039")) { // its prediction is missing: a failure
                LabelPng.write(run.resolve("rw/" + id + ".png"), new LabelMap(m.height(), m.width(), d));
            }
        }
        Path list = Files.writeString(tmp.resolve("ids.txt"), String.join("\n", IDS));
        GroundTruth gt = GroundTruth.vocFolder(voc, "SegmentationClass", Optional.of(list));
        EvalConfig config = EvalConfig.defaults();
        for (String stage : List.of("cam", "rw")) {
            EvalResult whole = Evaluation.evaluateFolder(stage, run.resolve(stage), gt, config);
            Evaluation.Plan plan = Evaluation.plan(stage, run.resolve(stage), gt);
            assertThat(plan.ids()).isEqualTo(IDS);
            assertThat(plan.cams()).isEqualTo(stage.equals("cam"));
            Evaluator.Partial a = roundTrip(Evaluator.partial(plan, gt, IDS.subList(0, 1), config));
            Evaluator.Partial b = roundTrip(Evaluator.partial(plan, gt, IDS.subList(1, 3), config));
            EvalResult merged = Evaluator.result(plan, gt, config, b.merge(a), 0);

            assertThat(merged.matrix().toArray()).as(stage).isEqualTo(whole.matrix().toArray());
            assertThat(merged.metrics().meanIou()).isEqualTo(whole.metrics().meanIou());
            assertThat(merged.failures()).isEqualTo(whole.failures());
            assertThat(merged.images()).isEqualTo(whole.images());
            if (stage.equals("cam")) {
                assertThat(merged.sweep().orElseThrow().bestIndex()).isEqualTo(whole.sweep().orElseThrow().bestIndex());
                for (int t = 0; t < whole.sweep().orElseThrow().points().size(); t++) {
                    assertThat(merged.sweep().orElseThrow().points().get(t).matrix().toArray())
                            .isEqualTo(whole.sweep().orElseThrow().points().get(t).matrix().toArray());
                }
            } else {
                assertThat(whole.metrics().meanIou()).isLessThan(1.0);
                assertThat(merged.failures()).extracting(f -> f.id()).containsExactly("2007_000039");
            }
        }
    }

    private static Evaluator.Partial roundTrip(Evaluator.Partial p) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(p);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (Evaluator.Partial) in.readObject();
        }
    }
}
