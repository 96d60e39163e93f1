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

    // 10 samples, batch 4 → 3 steps per epoch; 6 epochs → 18 steps; checkpoints at 2, 4, 6(epoch), 8, 9(epoch), 10, ...
    static final TrainConfig CONFIG = new TrainConfig(6, 4, 0.05, 5e-4, 0.9, 0.9, 2, 11);

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
        TrainResult full = new Trainer(CONFIG, a, TrainListener.none()).train(new TinyConvTask(1), false);
        assertThat(full.steps()).isEqualTo(18);
        assertThat(full.stepLosses()).hasSize(18);

        Path b = tmp.resolve("b");
        // interrupted after step 11: the last checkpoint is the one at step 10 (mid-epoch 4)
        assertThatThrownBy(() -> new Trainer(CONFIG, b, stopAfter(11)).train(new TinyConvTask(1), false))
                .isInstanceOf(Interrupt.class);
        JsonNode state = new ObjectMapper().readTree(b.resolve("checkpoint/state.json").toFile());
        assertThat(state.get("step").asLong()).isEqualTo(10);
        assertThat(state.get("epoch").asLong()).isEqualTo(3);
        assertThat(state.get("seed").asLong()).isEqualTo(11);
        assertThat(state.get("config").get("batchSize").asInt()).isEqualTo(4);
        try (Stream<Path> files = Files.list(b.resolve("checkpoint"))) {
            // only the newest arrays files remain (plus state.json); no temporary files
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("momentum-00000010.npz", "params-00000010.npz", "state.json");
        }
        assertThat(b.resolve("model.npz")).doesNotExist();

        // a fresh graph initialised differently: resume must load the checkpoint's parameters
        TinyConvTask resumedTask = new TinyConvTask(999);
        TrainResult resumed = new Trainer(CONFIG, b, TrainListener.none()).train(resumedTask, true);
        assertThat(resumed.steps()).isEqualTo(18);
        assertThat(resumedTask.validateCalls).containsExactly(3, 4, 5);
        List<Double> la = full.stepLosses();
        List<Double> lb = resumed.stepLosses();
        assertThat(lb).hasSize(18);
        for (int i = 0; i < 18; i++) {
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
        assertThat(ma.get("epochs")).hasSize(6);
        assertThat(mb.get("epochs")).hasSize(6);
        for (int e = 0; e < 6; e++) {
            double mean = la.subList(3 * e, 3 * e + 3).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertThat(ma.get("epochs").get(e).get("loss").asDouble()).isCloseTo(mean, within(1e-9));
            assertThat(mb.get("epochs").get(e).get("loss").asDouble()).isCloseTo(mean, within(1e-4 * mean));
            assertThat(mb.get("epochs").get(e).get("val_fcsum").asDouble())
                    .isCloseTo(ma.get("epochs").get(e).get("val_fcsum").asDouble(), within(1e-4));
        }
    }

    @Test
    void trainingLowersTheLossAndFrozenParametersStay() {
        TinyConvTask task = new TinyConvTask(1);
        INDArray scale = task.sd.getArrForVarName("scale").dup();
        TrainConfig longer = new TrainConfig(15, 4, 0.05, 5e-4, 0.9, 0.9, 100, 11);
        TrainResult r = new Trainer(longer, tmp.resolve("c"), TrainListener.none()).train(task, false);
        double first = r.stepLosses().subList(0, 3).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = r.stepLosses().subList(42, 45).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(last).isLessThan(0.8 * first);
        assertThat(r.params().get("scale").equalsWithEps(scale, 0)).isTrue();
        assertThat(task.sd.getArrForVarName("scale").equalsWithEps(scale, 0)).isTrue();
    }

    @Test
    void resumeWithOtherSettingsIsRefusedAndNamesTheDifference() {
        Path d = tmp.resolve("d");
        assertThatThrownBy(() -> new Trainer(CONFIG, d, stopAfter(5)).train(new TinyConvTask(1), false))
                .isInstanceOf(Interrupt.class);
        TrainConfig other = new TrainConfig(7, 4, 0.05, 5e-4, 0.9, 0.9, 3, 11);
        assertThatThrownBy(() -> new Trainer(other, d, TrainListener.none()).train(new TinyConvTask(1), true))
                .isInstanceOf(PsaException.class)
                .hasMessageContaining("state.json: cannot resume")
                .hasMessageContaining("epochs was 6, now 7")
                .hasMessageNotContaining("checkpointEvery");
    }

    @Test
    void resumeWithoutCheckpointStartsAtStepZero() {
        TrainResult r = new Trainer(CONFIG, tmp.resolve("e"), TrainListener.none()).train(new TinyConvTask(1), true);
        assertThat(r.stepLosses()).hasSize(18);
    }
}
