package dev.psa.cam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import dev.psa.backbones.tiny.TinyBackboneProvider;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.io.Npy;
import dev.psa.api.spi.Backbone;
import dev.psa.data.shapes.ShapesConfig;
import dev.psa.data.shapes.ShapesDataset;
import dev.psa.train.TrainListener;

/** A classifier run killed mid-way and resumed equals an uninterrupted run (issue 8). */
class ClassifierResumeTest {
    private static final ShapesDataset DATA = new ShapesDataset(ShapesConfig.defaults().with(32, 40, 3));
    private static final ClsConfig CONFIG = ClsConfig.from(ComponentConfig.ofStrings(Map.of("crop", "32",
            "resize-min", "28", "resize-max", "36", "epochs", "2", "batch-size", "8", "checkpoint-every", "3",
            "seed", "5")));

    private static Backbone tiny() {
        return new TinyBackboneProvider().create(ComponentConfig.ofStrings(Map.of("tiny.stem-channels", "8",
                "tiny.conv-channels", "16", "tiny.channels", "16")));
    }

    @Test
    void resumedRunHasTheSameLossCurveAndModel(@TempDir Path a, @TempDir Path b) {
        ClassifierSummary full = ClassifierStage.train(DATA, "train", tiny(), CONFIG, a, false, TrainListener.none(),
                null);
        assertThat(full.stepLosses()).hasSize(8);

        TrainListener killer = new TrainListener() {
            @Override
            public void onStep(long step, long maxSteps, double loss, double imagesPerSecond) {
                if (step == 6) {
                    throw new IllegalStateException("killed at step 6");
                }
            }

            @Override
            public void onEpoch(int epoch, Map<String, Double> metrics) {
            }
        };
        assertThatThrownBy(() -> ClassifierStage.train(DATA, "train", tiny(), CONFIG, b, false, killer, null))
                .hasStackTraceContaining("killed at step 6");
        assertThat(b.resolve("cls/model.npz")).doesNotExist();
        ClassifierSummary resumed = ClassifierStage.train(DATA, "train", tiny(), CONFIG, b, true,
                TrainListener.none(), null);

        List<Double> x = full.stepLosses();
        List<Double> y = resumed.stepLosses();
        assertThat(y).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(y.get(i)).as("step %d", i + 1).isCloseTo(x.get(i), within(1e-4 * Math.abs(x.get(i))));
        }
        assertThat(resumed.last().get("val_map")).isCloseTo(full.last().get("val_map"), within(1e-6));
        Map<String, INDArray> ma = Npy.readNpz(a.resolve("cls/model.npz"));
        Map<String, INDArray> mb = Npy.readNpz(b.resolve("cls/model.npz"));
        assertThat(mb.keySet()).isEqualTo(ma.keySet()).contains(ClassifierNet.WEIGHT);
        for (String k : ma.keySet()) {
            assertThat(mb.get(k).equalsWithEps(ma.get(k), 1e-5)).as(k).isTrue();
        }
    }
}
