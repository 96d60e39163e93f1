package dev.psa.crf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeanFieldTest {
    @Test
    void fastExpMatchesMathExpToFloatPrecision() {
        for (double x = -87; x <= 0; x += 0.001) {
            float e = MeanField.expNonPositive((float) x);
            double ref = Math.exp((float) x);
            assertThat(Math.abs(e - ref) / ref).as("x=%f", x).isLessThan(5e-7);
        }
        assertThat(MeanField.expNonPositive(0f)).isEqualTo(1f);
        assertThat(MeanField.expNonPositive(-88f)).isZero();
        assertThat(MeanField.expNonPositive(Float.NEGATIVE_INFINITY)).isZero();
    }

    @Test
    void softmaxIsStableForLargeValues() {
        float[] x = {1000f, 999f, -1000f, 5f};
        MeanField.softmaxInPlace(x, 0, 3);
        assertThat(x[0]).isCloseTo((float) (1 / (1 + Math.exp(-1))), within(1e-6f));
        assertThat(x[1]).isCloseTo((float) (Math.exp(-1) / (1 + Math.exp(-1))), within(1e-6f));
        assertThat(x[2]).isZero();
        assertThat(x[3]).isEqualTo(5f);
    }
}
