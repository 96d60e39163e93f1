package dev.psa.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.PsaException;
import dev.psa.api.io.Npy;

/**
 * Checkpoints hold the optimizer's whole state: Adam's two moment buffers and update counts make an
 * interrupted and resumed run equal to an uninterrupted one; a checkpoint of the format before Adam
 * (SGD, one momentum file named in "momentum") still resumes.
 */
class AdamResumeTest {
    @TempDir
    Path tmp;

    static final TrainConfig ADAM = new TrainConfig(5, 4, 0.01, 5e-4, 0.9, 0.9, 2, 11).withAdam(0.9, 0.999, 1e-8);

    static double maxDiff(TrainResult a, TrainResult b) {
        double max = 0;
        for (String name : a.params().keySet()) {
            INDArray pa = a.params().get(name);
            INDArray pb = b.params().get(name);
            assertThat(pb.shape()).as(name).isEqualTo(pa.shape());
            max = Math.max(max, pb.sub(pa).amaxNumber().doubleValue());
        }
        return max;
    }

    @Test
    void adamResumedRunEqualsUninterruptedRun() throws IOException {
        TrainResult full = new Trainer(ADAM, tmp.resolve("a"), TrainListener.none()).train(new TinyConvTask(1), false);
        Path b = tmp.resolve("b");
        // interrupted after step 9: the last checkpoint is the one after step 8 (mid epoch 2)
        assertThatThrownBy(() -> new Trainer(ADAM, b, ResumeTest.stopAfter(9)).train(new TinyConvTask(1), false))
                .isInstanceOf(ResumeTest.Interrupt.class);
        try (Stream<Path> files = Files.list(b.resolve("checkpoint"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
                    "adam-m-00000008.npz", "adam-v-00000008.npz", "params-00000008.npz", "state.json");
        }
        JsonNode state = new ObjectMapper().readTree(b.resolve("checkpoint/state.json").toFile());
        assertThat(state.get("format").asText()).isEqualTo("psa-train checkpoint 2");
        assertThat(state.get("config").get("optimizer").asText()).isEqualTo("adam");
        assertThat(state.get("config").get("beta2").asDouble()).isEqualTo(0.999);
        // every trainable parameter was updated 8 times; the frozen 'scale' has no state
        assertThat(state.get("updates").get("conv.weight").asLong()).isEqualTo(8);
        assertThat(state.get("updates").get("fc.bias").asLong()).isEqualTo(8);
        assertThat(state.get("updates").has("scale")).isFalse();
        INDArray m = Npy.readNpz(b.resolve("checkpoint/adam-m-00000008.npz")).get("conv.weight");
        INDArray v = Npy.readNpz(b.resolve("checkpoint/adam-v-00000008.npz")).get("conv.weight");
        assertThat(m.amaxNumber().doubleValue()).isGreaterThan(0);
        assertThat(v.minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
        assertThat(v.maxNumber().doubleValue()).isGreaterThan(0);

        TinyConvTask resumedTask = new TinyConvTask(999); // other initial values: resume must load the checkpoint
        TrainResult resumed = new Trainer(ADAM, b, TrainListener.none()).train(resumedTask, true);
        assertThat(resumed.stepLosses()).hasSize(15);
        double diff = maxDiff(full, resumed);
        assertThat(diff).as("max |full − resumed|").isEqualTo(0.0); // bit for bit
        // without the moments (a fresh Adam from step 8) the result differs clearly: the test can fail
        Path c = tmp.resolve("c");
        assertThatThrownBy(() -> new Trainer(ADAM, c, ResumeTest.stopAfter(9)).train(new TinyConvTask(1), false))
                .isInstanceOf(ResumeTest.Interrupt.class);
        for (String f : List.of("adam-m-00000008.npz", "adam-v-00000008.npz")) {
            Path p = c.resolve("checkpoint").resolve(f);
            var arrays = Npy.readNpz(p);
            arrays.values().forEach(a -> a.assign(0));
            Npy.writeNpz(p, arrays, false);
        }
        ObjectNode st = (ObjectNode) new ObjectMapper().readTree(c.resolve("checkpoint/state.json").toFile());
        st.set("updates", new ObjectMapper().createObjectNode().put("conv.weight", 0).put("conv.bias", 0)
                .put("fc.weight", 0).put("fc.bias", 0));
        new ObjectMapper().writeValue(c.resolve("checkpoint/state.json").toFile(), st);
        TrainResult fresh = new Trainer(ADAM, c, TrainListener.none()).train(new TinyConvTask(1), true);
        assertThat(maxDiff(full, fresh)).isGreaterThan(100 * Math.max(diff, 1e-7));
    }

    @Test
    void resumingAnAdamCheckpointWithSgdIsRefused() {
        Path d = tmp.resolve("d");
        assertThatThrownBy(() -> new Trainer(ADAM, d, ResumeTest.stopAfter(3)).train(new TinyConvTask(1), false))
                .isInstanceOf(ResumeTest.Interrupt.class);
        assertThatThrownBy(() -> new Trainer(ResumeTest.CONFIG, d, TrainListener.none()).train(new TinyConvTask(1), true))
                .isInstanceOf(PsaException.class).hasMessageContaining("state.json: cannot resume")
                .hasMessageContaining("optimizer was adam, now sgd");
    }

    @Test
    void aCheckpointOfTheFormatBeforeAdamStillResumes() throws IOException {
        TrainResult full = new Trainer(ResumeTest.CONFIG, tmp.resolve("a"), TrainListener.none())
                .train(new TinyConvTask(1), false);
        Path b = tmp.resolve("b");
        assertThatThrownBy(() -> new Trainer(ResumeTest.CONFIG, b, ResumeTest.stopAfter(9)).train(new TinyConvTask(1), false))
                .isInstanceOf(ResumeTest.Interrupt.class);
        // rewrite state.json as psa-train wrote it before Adam: format 1, "momentum": file, no "buffers" /
        // "updates", no "optimizer" in the config
        ObjectMapper json = new ObjectMapper();
        ObjectNode st = (ObjectNode) json.readTree(b.resolve("checkpoint/state.json").toFile());
        assertThat(st.get("buffers").get("momentum").asText()).isEqualTo("momentum-00000008.npz");
        st.put("format", "psa-train checkpoint 1");
        st.remove("buffers");
        st.remove("updates");
        ((ObjectNode) st.get("config")).remove("optimizer");
        st.put("momentum", "momentum-00000008.npz");
        json.writeValue(b.resolve("checkpoint/state.json").toFile(), st);
        TrainResult resumed = new Trainer(ResumeTest.CONFIG, b, TrainListener.none()).train(new TinyConvTask(999), true);
        assertThat(maxDiff(full, resumed)).isLessThan(1e-5);
        // its momentum was really loaded: zeroing it changes the result
        Path c = tmp.resolve("c");
        assertThatThrownBy(() -> new Trainer(ResumeTest.CONFIG, c, ResumeTest.stopAfter(9)).train(new TinyConvTask(1), false))
                .isInstanceOf(ResumeTest.Interrupt.class);
        Path mom = c.resolve("checkpoint/momentum-00000008.npz");
        var arrays = Npy.readNpz(mom);
        arrays.values().forEach(a -> a.assign(0));
        Npy.writeNpz(mom, arrays, false);
        TrainResult zeroed = new Trainer(ResumeTest.CONFIG, c, TrainListener.none()).train(new TinyConvTask(1), true);
        assertThat(maxDiff(full, zeroed)).isGreaterThan(1e-4);
    }
}
