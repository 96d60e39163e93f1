package dev.psa.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.PsaException;
import dev.psa.api.io.Npy;

/** Interrupt-and-resume reproduces an uninterrupted run (issue 8: same loss curve within 1e-4 relative). */
class ResumeTest {
    @TempDir
    Path tmp;

    // 10 samples, batch 4 → 3 steps per epoch; 5 epochs → 15 steps; checkpoints after 2, 3 (epoch end), 4,
    // 6 (epoch end), 8, 9 (epoch end), 10, ...
    static final TrainConfig CONFIG = new TrainConfig(5, 4, 0.1, 5e-4, 0.9, 0.9, 2, 11);
    static final int STEPS = 15;

    static final class Interrupt extends RuntimeException {
    }

    static TrainListener stopAfter(long k) {
        return new TrainListener() {
            @Override
            public void onStep(long step, long maxSteps, double loss, double ips) {
                if (step == k) {
                    throw new Interrupt();
                }
            }

            @Override
            public void onEpoch(int epoch, Map<String, Double> metrics) {
            }
        };
    }

    @Test
    void resumedRunEqualsUninterruptedRun() throws IOException {
        Path a = tmp.resolve("a");
        TinyConvTask fullTask = new TinyConvTask(1);
        INDArray scale = fullTask.sd.getArrForVarName("scale").dup();
        TrainResult full = new Trainer(CONFIG, a, TrainListener.none()).train(fullTask, false);
        assertThat(full.steps()).isEqualTo(STEPS);
        assertThat(full.stepLosses()).hasSize(STEPS);
        // training lowers the loss; the FROZEN parameter never changes
        double first = full.stepLosses().subList(0, 3).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = full.stepLosses().subList(12, 15).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(last).isLessThan(first);
        assertThat(full.params().get("scale").equalsWithEps(scale, 0)).isTrue();
        assertThat(fullTask.sd.getArrForVarName("scale").equalsWithEps(scale, 0)).isTrue();

        Path b = tmp.resolve("b");
        // interrupted after step 9 (before its epoch end): the last checkpoint is the one after step 8,
        // in the middle of epoch 2 (0-based)
        assertThatThrownBy(() -> new Trainer(CONFIG, b, stopAfter(9)).train(new TinyConvTask(1), false))
                .isInstanceOf(Interrupt.class);
        JsonNode state = new ObjectMapper().readTree(b.resolve("checkpoint/state.json").toFile());
        assertThat(state.get("step").asLong()).isEqualTo(8);
        assertThat(state.get("epoch").asLong()).isEqualTo(2);
        assertThat(state.get("seed").asLong()).isEqualTo(11);
        assertThat(state.get("config").get("batchSize").asInt()).isEqualTo(4);
        try (Stream<Path> files = Files.list(b.resolve("checkpoint"))) {
            // only the newest arrays files remain (plus state.json); no temporary files
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("momentum-00000008.npz", "params-00000008.npz", "state.json");
        }
        assertThat(b.resolve("model.npz")).doesNotExist();

        // a fresh graph initialised differently: resume must load the checkpoint's parameters
        TinyConvTask resumedTask = new TinyConvTask(999);
        TrainResult resumed = new Trainer(CONFIG, b, TrainListener.none()).train(resumedTask, true);
        assertThat(resumed.steps()).isEqualTo(STEPS);
        assertThat(resumedTask.validateCalls).containsExactly(2, 3, 4);
        List<Double> la = full.stepLosses();
        List<Double> lb = resumed.stepLosses();
        assertThat(lb).hasSize(STEPS);
        for (int i = 0; i < STEPS; i++) {
            assertThat(lb.get(i)).as("loss of step %d", i).isCloseTo(la.get(i), within(1e-4 * Math.abs(la.get(i))));
        }
        for (String name : full.params().keySet()) {
            INDArray pa = full.params().get(name);
            INDArray pb = resumed.params().get(name);
            assertThat(pb.shape()).isEqualTo(pa.shape());
            assertThat(pb.sub(pa).amaxNumber().doubleValue()).as(name).isLessThan(1e-5);
            // the graph itself holds the trained parameters, and so does model.npz
            assertThat(resumedTask.sd.getArrForVarName(name).equalsWithEps(pb, 0)).as(name).isTrue();
            assertThat(Npy.readNpz(b.resolve("model.npz")).get(name).equalsWithEps(pb, 0)).as(name).isTrue();
        }
        // metrics.json of both runs: one entry per epoch with the mean loss and the validation metric
        JsonNode ma = new ObjectMapper().readTree(a.resolve("metrics.json").toFile());
        JsonNode mb = new ObjectMapper().readTree(b.resolve("metrics.json").toFile());
        assertThat(ma.get("epochs")).hasSize(5);
        assertThat(mb.get("epochs")).hasSize(5);
        for (int e = 0; e < 5; e++) {
            double mean = la.subList(3 * e, 3 * e + 3).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertThat(ma.get("epochs").get(e).get("loss").asDouble()).isCloseTo(mean, within(1e-9));
            assertThat(mb.get("epochs").get(e).get("loss").asDouble()).isCloseTo(mean, within(1e-4 * mean));
            assertThat(mb.get("epochs").get(e).get("val_fcsum").asDouble())
                    .isCloseTo(ma.get("epochs").get(e).get("val_fcsum").asDouble(), within(1e-4));
        }
    }

    @Test
    void resumeWithOtherSettingsIsRefusedAndNamesTheDifference() {
        Path d = tmp.resolve("d");
        assertThatThrownBy(() -> new Trainer(CONFIG, d, stopAfter(3)).train(new TinyConvTask(1), false))
                .isInstanceOf(Interrupt.class);
        TrainConfig other = new TrainConfig(7, 4, 0.1, 5e-4, 0.9, 0.9, 3, 11);
        assertThatThrownBy(() -> new Trainer(other, d, TrainListener.none()).train(new TinyConvTask(1), true))
                .isInstanceOf(PsaException.class)
                .hasMessageContaining("state.json: cannot resume")
                .hasMessageContaining("epochs was 5, now 7")
                .hasMessageNotContaining("checkpointEvery");
    }

    @Test
    void resumeWithoutCheckpointStartsAtStepZero() {
        TrainConfig oneEpoch = new TrainConfig(1, 4, 0.1, 5e-4, 0.9, 0.9, 2, 11);
        TrainResult r = new Trainer(oneEpoch, tmp.resolve("e"), TrainListener.none()).train(new TinyConvTask(1), true);
        assertThat(r.stepLosses()).hasSize(3);
        assertThat(tmp.resolve("e/model.npz")).exists();
    }
}
