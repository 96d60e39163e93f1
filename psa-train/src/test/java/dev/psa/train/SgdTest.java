package dev.psa.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.spi.ParamRole;
import dev.psa.train.internal.Sgd;

class SgdTest {
    @Test
    void polyLearningRateAtStartMiddleAndLastStep() {
        // lr·(1 − step/max)^0.9 with lr 0.1, max 100
        assertThat(Sgd.polyLr(0.1, 0, 100, 0.9)).isEqualTo(0.1);
        // 0.5^0.9 = exp(0.9·ln 0.5) = exp(−0.623832) = 0.535887
        assertThat(Sgd.polyLr(0.1, 50, 100, 0.9)).isCloseTo(0.0535887, within(1e-7));
        // 0.01^0.9 = 10^−1.8 = 0.0158489
        assertThat(Sgd.polyLr(0.1, 99, 100, 0.9)).isCloseTo(0.00158489, within(1e-8));
        assertThat(Sgd.polyLr(0.1, 100, 100, 0.9)).isEqualTo(0.0);
        assertThat(Sgd.polyLr(0.1, 73, 100, 0)).isEqualTo(0.1);
    }

    @Test
    void weightDecayOnlyOnDecayedRolesAndFrozenNeverChanges() {
        INDArray g = Nd4j.createFromArray(1.0, -1.0);
        for (ParamRole role : ParamRole.values()) {
            INDArray w = Nd4j.createFromArray(2.0, 4.0);
            INDArray v = Nd4j.zeros(DataType.DOUBLE, 2);
            Sgd.update(w, g, v, role, 0.1, 0.5, 0.9);
            double m = role.lrMultiplier();
            double wd = role.decayed() ? 0.5 : 0;
            if (role == ParamRole.FROZEN) {
                assertThat(w.toDoubleVector()).containsExactly(2.0, 4.0);
                assertThat(v.toDoubleVector()).containsExactly(0.0, 0.0);
            } else {
                assertThat(w.getDouble(0)).as(role.name()).isCloseTo(2 - 0.1 * m * (1 + wd * 2), within(1e-12));
                assertThat(w.getDouble(1)).as(role.name()).isCloseTo(4 - 0.1 * m * (-1 + wd * 4), within(1e-12));
            }
        }
    }
}
