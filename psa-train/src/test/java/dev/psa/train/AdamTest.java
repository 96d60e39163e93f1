package dev.psa.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.train.QuadraticTrainerTest.Quadratic;
import java.util.Map;

/**
 * Adam in the trainer (ND4J's AdamUpdater, poly learning rate, role multipliers, L2 decay on decayed roles)
 * against an independent double-precision implementation of the same steps, and a first step by hand.
 */
class AdamTest {
    @TempDir
    Path dir;

    /**
     * Reference Adam (Kingma &amp; Ba, Algorithm 1 with the "efficient version" of its §2, which is ND4J's):
     * d = g + wd·p, m = β1·m + (1−β1)·d, v = β2·v + (1−β2)·d², p −= lr_t·mult·√(1−β2^t)/(1−β1^t)·m/(√v + ε).
     * On the quadratic task: dL/dw = x·w (x = 3), dL/db = 2(b − f) with f = 2; w is NEW_WEIGHT (×10,
     * decayed), b NEW_BIAS (×20, not decayed). Returns w0, w1, b after each step.
     */
    static double[][] reference(TrainConfig c, int steps) {
        double[] p = {1.0, -2.0, 0.5};
        double[] mult = {10, 10, 20};
        boolean[] decayed = {true, true, false};
        double[] m = new double[3];
        double[] v = new double[3];
        double[][] out = new double[steps][];
        for (int s = 0; s < steps; s++) {
            double lr = c.lr() * Math.pow(1.0 - (double) s / steps, c.polyPower());
            double[] g = {3 * p[0], 3 * p[1], 2 * (p[2] - 2.0)};
            int t = s + 1;
            for (int i = 0; i < 3; i++) {
                double d = g[i] + (decayed[i] ? c.weightDecay() * p[i] : 0);
                m[i] = c.beta1() * m[i] + (1 - c.beta1()) * d;
                v[i] = c.beta2() * v[i] + (1 - c.beta2()) * d * d;
                double alpha = lr * mult[i] * Math.sqrt(1 - Math.pow(c.beta2(), t)) / (1 - Math.pow(c.beta1(), t));
                p[i] -= alpha * m[i] / (Math.sqrt(v[i]) + c.eps());
            }
            out[s] = p.clone();
        }
        return out;
    }

    @Test
    void firstStepIsLrTimesMultiplierTimesSignByHand() {
        // step 1: m = (1−β1)·d, v = (1−β2)·d², α = lr·mult·√(1−β2)/(1−β1), so the step is
        // lr·mult·d/(|d| + ε/√(1−β2)) ≈ lr·mult·sign(d): w0 = [1, −2] → ≈ [1 − 0.1, −2 + 0.1]; b: d = −3 → ≈ 0.5 + 0.2.
        // ε/√(1−β2) = 1e-8/0.0316228 = 3.16e-7 shifts the 8th decimal (ND4J's ε placement; PyTorch's would not)
        TrainConfig c = new TrainConfig(4, 1, 0.01, 0.01, 0.9, 0.9, 100, 7).withAdam(0.9, 0.999, 1e-8);
        List<double[]> s = QuadraticTrainerTest.trainAndRecord(new Quadratic(), c, dir);
        double epsHat = 1e-8 / Math.sqrt(0.001);
        // w: d = 3·w0 + 0.01·w0 = [3.01, −6.02]
        assertThat(s.get(0)[0]).isCloseTo(1 - 0.1 * 3.01 / (3.01 + epsHat), within(1e-12));
        assertThat(s.get(0)[0]).isCloseTo(0.9, within(2e-8));
        assertThat(s.get(0)[1]).isCloseTo(-2 + 0.1 * 6.02 / (6.02 + epsHat), within(1e-12));
        assertThat(s.get(0)[2]).isCloseTo(0.5 + 0.2 * 3 / (3 + epsHat), within(1e-12));
        assertThat(s.get(0)[3]).isEqualTo(2.0); // frozen
    }

    @Test
    void fourStepsMatchAnIndependentImplementation() {
        for (TrainConfig c : List.of(
                new TrainConfig(4, 1, 0.01, 0.01, 0.9, 0.9, 100, 7).withAdam(0.9, 0.999, 1e-8),
                // other betas, a big ε (its placement matters: ND4J's, see AdamOptimizer) and strong decay
                new TrainConfig(4, 1, 0.05, 0.2, 0.9, 0.9, 100, 7).withAdam(0.5, 0.9, 0.1))) {
            List<double[]> s = QuadraticTrainerTest.trainAndRecord(new Quadratic(), c, dir.resolve(c.lr() + ""));
            double[][] ref = reference(c, 4);
            assertThat(s).hasSize(4);
            for (int step = 0; step < 4; step++) {
                for (int i = 0; i < 3; i++) {
                    assertThat(s.get(step)[i]).as("%s step %d param %d", c, step, i).isCloseTo(ref[step][i], within(1e-9));
                }
                assertThat(s.get(step)[3]).isEqualTo(2.0);
            }
            // the steps really differ from SGD's: the first b step of SGD is 0.5 + lr·20·3
            assertThat(s.get(0)[2]).isNotCloseTo(0.5 + c.lr() * 20 * 3, within(1e-3));
        }
    }

    @Test
    void keysAreReadAndCheckedUnderTheStagePrefix() {
        ComponentConfig ok = ComponentConfig.ofStrings(Map.of("seg.optimizer", "adam", "seg.adam-beta2", "0.99")).scoped("seg.");
        TrainConfig c = TrainConfig.from(ok, TrainConfig.defaults());
        assertThat(c.adam()).isTrue();
        assertThat(c.beta1()).isEqualTo(0.9);
        assertThat(c.beta2()).isEqualTo(0.99);
        assertThat(c.eps()).isEqualTo(1e-8);
        assertThat(TrainConfig.defaults().optimizer()).isEqualTo("sgd");
        ComponentConfig bad = ComponentConfig.ofStrings(Map.of("seg.optimizer", "adamw", "seg.adam-beta1", "1",
                "seg.adam-eps", "0")).scoped("seg.");
        assertThatThrownBy(() -> TrainConfig.from(bad, TrainConfig.defaults())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("seg.optimizer: must be one of [sgd, adam], got 'adamw'")
                .hasMessageContaining("seg.adam-beta1: must be in [0, 1), got 1.0")
                .hasMessageContaining("seg.adam-eps: must be a finite number > 0, got 0.0");
    }
}
