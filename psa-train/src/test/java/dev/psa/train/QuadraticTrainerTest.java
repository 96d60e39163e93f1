package dev.psa.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.spi.ParamRole;

/**
 * One parameter vector w (NEW_WEIGHT: ×10, decayed), one bias b (NEW_BIAS: ×20, not decayed) and
 * a frozen f, loss = ½·Σ x·w² + (b − f)², so dL/dw = x·w and dL/db = 2(b − f).
 */
class QuadraticTrainerTest {
    @TempDir
    Path dir;

    static final class Quadratic implements TrainTask {
        final SameDiff sd = SameDiff.create();

        Quadratic() {
            SDVariable x = sd.placeHolder("x", DataType.DOUBLE);
            SDVariable w = sd.var("w", Nd4j.createFromArray(1.0, -2.0));
            SDVariable b = sd.var("b", Nd4j.createFromArray(0.5));
            SDVariable f = sd.var("f", Nd4j.createFromArray(2.0));
            SDVariable quad = sd.sum("quad", w.mul("w2", w).mul("xw2", x)).mul("half", 0.5);
            SDVariable diff = b.sub("bf", f);
            sd.sum("loss_b", diff.mul("bf2", diff)).add("loss", quad);
        }

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
            return Map.of("w", ParamRole.NEW_WEIGHT, "b", ParamRole.NEW_BIAS, "f", ParamRole.FROZEN);
        }

        @Override
        public int numSamples() {
            return 1;
        }

        @Override
        public Map<String, INDArray> batch(int[] sampleIndices, Random rng) {
            return Map.of("x", Nd4j.scalar(3.0));
        }
    }

    /** Records w, b, f after each step. */
    static List<double[]> trainAndRecord(Quadratic task, TrainConfig config, Path dir) {
        List<double[]> states = new ArrayList<>();
        TrainListener rec = new TrainListener() {
            @Override
            public void onStep(long step, long maxSteps, double loss, double ips) {
                SameDiff sd = task.graph();
                states.add(new double[] {sd.getArrForVarName("w").getDouble(0), sd.getArrForVarName("w").getDouble(1),
                        sd.getArrForVarName("b").getDouble(0), sd.getArrForVarName("f").getDouble(0), loss});
            }

            @Override
            public void onEpoch(int epoch, Map<String, Double> metrics) {
            }
        };
        new Trainer(config, dir, rec).train(task, false);
        return states;
    }

    @Test
    void twoMomentumStepsMatchHandComputation() {
        // lr 0.01, wd 0.01, momentum 0.9, poly 0.9; 1 sample, batch 1, 4 epochs → maxStep 4
        TrainConfig config = new TrainConfig(4, 1, 0.01, 0.01, 0.9, 0.9, 100, 7);
        List<double[]> s = trainAndRecord(new Quadratic(), config, dir);
        assertThat(s).hasSize(4);
        // step 0: lr 0.01. w0 = [1, −2], g = 3·w0 = [3, −6], d = g + 0.01·w0 = [3.01, −6.02], v = d,
        // w1 = w0 − 0.01·10·v = [0.699, −1.398]. loss0 = ½·3·(1 + 4) + (0.5 − 2)² = 7.5 + 2.25 = 9.75
        assertThat(s.get(0)[4]).isCloseTo(9.75, within(1e-12));
        assertThat(s.get(0)[0]).isCloseTo(0.699, within(1e-12));
        assertThat(s.get(0)[1]).isCloseTo(-1.398, within(1e-12));
        // b: g = 2·(0.5 − 2) = −3, no decay, v = −3, b1 = 0.5 − 0.01·20·(−3) = 1.1
        assertThat(s.get(0)[2]).isCloseTo(1.1, within(1e-12));
        // step 1: lr = 0.01·(1 − 1/4)^0.9 = 0.01·0.771890...
        double lr1 = 0.01 * Math.pow(0.75, 0.9);
        assertThat(lr1).isCloseTo(0.00771890, within(1e-8));
        // g = 3·w1 = [2.097, −4.194]; d = g + 0.01·w1 = [2.10399, −4.20798]
        // v = 0.9·[3.01, −6.02] + d = [4.81299, −9.62598]; w2 = w1 − 10·lr1·v
        assertThat(s.get(1)[0]).isCloseTo(0.699 - 10 * lr1 * 4.81299, within(1e-12));
        assertThat(s.get(1)[1]).isCloseTo(-1.398 + 10 * lr1 * 9.62598, within(1e-12));
        // b: g = 2·(1.1 − 2) = −1.8, v = 0.9·(−3) − 1.8 = −4.5, b2 = 1.1 + 20·lr1·4.5
        assertThat(s.get(1)[2]).isCloseTo(1.1 + 20 * lr1 * 4.5, within(1e-12));
        // the frozen f gets a gradient (−2(b − f)) but never changes
        for (double[] st : s) {
            assertThat(st[3]).isEqualTo(2.0);
        }
    }

    @Test
    void withoutMomentumEachStepUsesOnlyItsOwnGradient() {
        TrainConfig config = new TrainConfig(4, 1, 0.01, 0.01, 0.0, 0.9, 100, 7);
        List<double[]> s = trainAndRecord(new Quadratic(), config, dir);
        double lr1 = 0.01 * Math.pow(0.75, 0.9);
        // step 0 as with momentum: w1 = [0.699, −1.398], b1 = 1.1
        assertThat(s.get(0)[0]).isCloseTo(0.699, within(1e-12));
        // step 1: w2 = w1 − 10·lr1·(3 + 0.01)·w1 ; b2 = 1.1 − 20·lr1·2·(1.1 − 2)
        assertThat(s.get(1)[0]).isCloseTo(0.699 * (1 - 10 * lr1 * 3.01), within(1e-12));
        assertThat(s.get(1)[1]).isCloseTo(-1.398 * (1 - 10 * lr1 * 3.01), within(1e-12));
        assertThat(s.get(1)[2]).isCloseTo(1.1 + 20 * lr1 * 1.8, within(1e-12));
    }
}
