package dev.psa.seg;

import dev.psa.train.Initializer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.io.Npy;
import dev.psa.api.stage.Progress;
import dev.psa.api.stage.StageSummary;
import dev.psa.data.io.LabelPng;
import dev.psa.data.shapes.ShapesConfig;
import dev.psa.data.shapes.ShapesDataset;
import dev.psa.seg.heads.LargeFovHead;
import dev.psa.train.TrainListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegStageTest {
    private static SegConfig config(String... kv) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("seg.crop", "48", "seg.resize-min", "40",
                "seg.resize-max", "56", "seg.epochs", "2", "seg.batch-size", "4", "seg.checkpoint-every", "1",
                "seg.lr", "0.01", "seg.scales", "1.0,0.5", "seg.crf", "false"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return SegConfig.from(ComponentConfig.ofStrings(m).scoped("seg."));
    }

    /**
     * Interrupted after the 3rd of 6 steps (the listener throws; a checkpoint follows every step), the
     * resumed training ends with the same losses and parameters as an uninterrupted one — with SGD and
     * with Adam (whose moments and update counts the checkpoint holds).
     */
    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam"})
    void anInterruptedTrainingResumesFromItsLastCheckpointToTheSameModel(String optimizer, @TempDir Path dir) {
        ShapesDataset data = new ShapesDataset(ShapesConfig.defaults().with(48, 14, 1));
        SegConfig c = config("seg.labels", "gt", "seg.optimizer", optimizer, "seg.lr", optimizer.equals("adam") ? "0.001" : "0.01");
        assertThat(c.train().optimizer()).isEqualTo(optimizer);
        LargeFovHead head = new LargeFovHead(8, 2, 0.5);
        SegStage.Result full = SegStage.train(data, "train", SegNetTest.tiny(), head, c, dir.resolve("a"), false,
                Initializer.NONE, TrainListener.none());
        assertThat(full.train().steps()).isEqualTo(6); // 11 images, batch 4: 3 steps × 2 epochs
        assertThat(dir.resolve("a/seg/metrics.json")).isRegularFile();

        TrainListener stopAt3 = new TrainListener() {
            @Override
            public void onStep(long step, long maxSteps, double loss, double imagesPerSecond) {
                if (step == 4) {
                    throw new IllegalStateException("killed");
                }
            }

            @Override
            public void onEpoch(int epoch, Map<String, Double> metrics) {
            }
        };
        assertThatThrownBy(() -> SegStage.train(data, "train", SegNetTest.tiny(), head, c, dir.resolve("b"), false,
                Initializer.NONE, stopAt3)).hasMessage("killed");
        assertThat(dir.resolve("b/seg/model.npz")).doesNotExist();
        SegStage.Result resumed = SegStage.train(data, "train", SegNetTest.tiny(), head, c, dir.resolve("b"), true,
                Initializer.NONE, TrainListener.none());
        assertThat(resumed.train().stepLosses()).isEqualTo(full.train().stepLosses());
        Map<String, INDArray> a = Npy.readNpz(full.model());
        Map<String, INDArray> b = Npy.readNpz(resumed.model());
        assertThat(b.keySet()).isEqualTo(a.keySet()).contains("seg_fc8.weight", "conv3.weight");
        a.forEach((k, v) -> assertThat(b.get(k)).as(k).isEqualTo(v));
    }

    @Test
    void pseudoLabelsComeFromTheRunFolderAndTheErrorSaysWhatToDo(@TempDir Path run) {
        ShapesDataset data = new ShapesDataset(ShapesConfig.defaults().with(48, 14, 1));
        assertThatThrownBy(() -> SegStage.train(data, "train", SegNetTest.tiny(), new LargeFovHead(8, 2, 0.5), config(),
                run, false, Initializer.NONE, TrainListener.none()))
                .isInstanceOf(PsaException.class)
                .hasMessageContaining("no pseudo labels for split 'train' in " + run.resolve("rw"))
                .hasMessageContaining("seg.labels=gt");
        List<Sample> train = data.samples("train");
        for (Sample s : train.subList(0, 5)) {
            LabelPng.write(run.resolve("rw").resolve(s.id() + ".png"), data.load(s).mask().orElseThrow());
        }
        SegStage.Result r = SegStage.train(data, "train", SegNetTest.tiny(), new LargeFovHead(8, 2, 0.5),
                config("seg.epochs", "1"), run, false, Initializer.NONE, TrainListener.none());
        assertThat(r.samples()).isEqualTo(5);
        assertThat(r.skipped()).hasSize(train.size() - 5).contains(train.get(5).id());
        assertThat(r.train().steps()).isEqualTo(2);
    }

    /**
     * Inference: probabilities sum to 1; with the flip on, segmenting a mirrored image gives the mirrored
     * segmentation; predictions are written per image and a second run skips them.
     */
    @Test
    void predictionsAreFlipEquivariantAndResumable(@TempDir Path run) {
        ShapesDataset data = new ShapesDataset(ShapesConfig.defaults().with(48, 14, 1));
        SegConfig c = config("seg.labels", "gt", "seg.epochs", "1");
        LargeFovHead head = new LargeFovHead(8, 2, 0.5);
        SegStage.Result r = SegStage.train(data, "train", SegNetTest.tiny(), head, c, run, false,
                Initializer.NONE, TrainListener.none());
        SegNet net = SegStage.load(SegNetTest.tiny(), head, data.classes().size(), r.model());
        SegPredictor p = new SegPredictor(net, SegNetTest.tiny().normalization(), c);
        Sample s = data.samples("val").get(0);
        INDArray image = data.load(s).image();
        INDArray probs = p.probabilities(image);
        assertThat(probs.shape()).containsExactly(data.classes().size(), 48, 48);
        INDArray total = probs.sum(0);
        assertThat(total.minNumber().doubleValue()).isCloseTo(1, within(1e-4));
        assertThat(total.maxNumber().doubleValue()).isCloseTo(1, within(1e-4));
        INDArray mirrored = p.probabilities(SegPredictor.flipLastAxis(image));
        assertThat(SegPredictor.flipLastAxis(mirrored).sub(probs).amaxNumber().doubleValue()).isLessThan(1e-5);

        List<Sample> val = data.samples("val");
        Path out = run.resolve("seg/pred");
        StageSummary first = SegStage.predict(data, val, p, out, false, Progress.NONE);
        assertThat(first.written()).isEqualTo(val.size());
        LabelMap label = LabelPng.read(out.resolve(s.id() + ".png"));
        assertThat(label).isEqualTo(p.predict(image));
        StageSummary again = SegStage.predict(data, val, p, out, false, Progress.NONE);
        assertThat(again.skipped()).isEqualTo(val.size());
        assertThat(again.written()).isZero();
        assertThat(Files.exists(out.resolve(s.id() + ".png"))).isTrue();
    }
}
