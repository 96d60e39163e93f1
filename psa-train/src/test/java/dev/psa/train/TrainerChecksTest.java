package dev.psa.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.api.spi.ParamRole;

class TrainerChecksTest {
    @TempDir
    Path dir;

    static TrainTask task(SameDiff sd, Map<String, ParamRole> roles, double x) {
        return new TrainTask() {
            @Override
            public SameDiff graph() {
                return sd;
            }

            @Override
            public String lossVariable() {
                return "loss";
            }

            @Override
            public Map<String, ParamRole> roles() {
                return roles;
            }

            @Override
            public int numSamples() {
                return 3;
            }

            @Override
            public Map<String, INDArray> batch(int[] idx, Random rng) {
                return Map.of("x", Nd4j.scalar(x));
            }
        };
    }

    static SameDiff graph() {
        SameDiff sd = SameDiff.create();
        var x = sd.placeHolder("x", DataType.DOUBLE);
        var w = sd.var("w", Nd4j.createFromArray(1.0));
        var k = sd.constant("k", Nd4j.createFromArray(2.0));
        sd.var("stray", Nd4j.createFromArray(1.0));
        sd.sum("loss", w.mul("wx", x).mul("wxk", k).mul("sq", w));
        return sd;
    }

    @Test
    void inconsistentTasksAreReportedWithEveryProblem() {
        Map<String, ParamRole> roles = new HashMap<>();
        roles.put("w", ParamRole.WEIGHT);
        roles.put("k", ParamRole.NEW_WEIGHT);
        roles.put("ghost", ParamRole.BIAS);
        TrainConfig c = new TrainConfig(1, 2, 0.1, 0, 0, 0.9, 10, 0);
        assertThatThrownBy(() -> new Trainer(c, dir, TrainListener.none()).train(task(graph(), roles, 1), false))
                .isInstanceOf(PsaException.class)
                .hasMessageContaining("parameter 'k' has role NEW_WEIGHT but is a CONSTANT")
                .hasMessageContaining("parameter 'ghost' (BIAS) is not in the graph")
                .hasMessageContaining("graph variables without a role")
                .hasMessageContaining("[stray]");
    }

    @Test
    void aDivergingLossStopsWithTheStep() {
        // loss = 2·x·w², x = 1e200 → the first step overflows w, the second loss is infinite
        Map<String, ParamRole> roles = Map.of("w", ParamRole.WEIGHT, "stray", ParamRole.FROZEN);
        TrainConfig c = new TrainConfig(2, 2, 1.0, 0, 0, 0.9, 10, 0);
        assertThatThrownBy(() -> new Trainer(c, dir, TrainListener.none()).train(task(graph(), roles, 1e200), false))
                .isInstanceOf(PsaException.class)
                .hasMessageContaining("training diverged: loss is")
                .hasMessageContaining("lower the learning rate");
    }

    @Test
    void aTrainableParameterOutsideTheLossPathIsLeftAsItIs() {
        SameDiff sd = graph();
        Map<String, ParamRole> roles = Map.of("w", ParamRole.WEIGHT, "stray", ParamRole.NEW_WEIGHT);
        TrainConfig c = new TrainConfig(1, 3, 0.1, 0.5, 0.9, 0.9, 10, 0);
        TrainResult r = new Trainer(c, dir, TrainListener.none()).train(task(sd, roles, 1), false);
        // loss = 2·x·w², x = 1: w = 1 − 0.1·(4 + 0.5) = 0.55; stray gets no gradient, so no decay either
        assertThat(r.params().get("w").getDouble(0)).isCloseTo(0.55, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(r.params().get("stray").getDouble(0)).isEqualTo(1.0);
    }

    @Test
    void configValuesAreValidatedTogether() {
        assertThatThrownBy(() -> new TrainConfig(0, 0, -1, -0.1, 1.0, 0.9, 0, 0))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("epochs").hasMessageContaining("batchSize").hasMessageContaining("lr")
                .hasMessageContaining("weightDecay").hasMessageContaining("momentum")
                .hasMessageContaining("checkpointEvery");
        assertThat(TrainConfig.defaults().maxSteps(10582)).isEqualTo(15 * 662);
    }

    @Test
    void stageKeysAreReadWithTheStageDefaultsAndReportedWithTheirPrefix() {
        TrainConfig affDefaults = new TrainConfig(8, 8, 0.1, 5e-4, 0.9, 0.9, 500, 0);
        ComponentConfig ok = ComponentConfig.ofStrings(Map.of("aff.lr", "0.05", "aff.momentum", "0")).scoped("aff.");
        assertThat(TrainConfig.from(ok, affDefaults)).isEqualTo(new TrainConfig(8, 8, 0.05, 5e-4, 0, 0.9, 500, 0));
        ComponentConfig bad = ComponentConfig.ofStrings(Map.of("cls.batch-size", "0", "cls.poly-power", "-1"))
                .scoped("cls.");
        assertThatThrownBy(() -> TrainConfig.from(bad, TrainConfig.defaults()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cls.batch-size: must be >= 1, got 0")
                .hasMessageContaining("cls.poly-power: must be a finite number >= 0, got -1.0");
    }
}
