package dev.psa.crf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class CrfBenchTest {
    @Test
    void returnsExactlyOneContractLine() {
        assertThat(CrfBench.run(20, 15, 3)).matches("crf ms=\\d+\\.\\d");
    }

    @Test
    void formatsWithDotAndOneDecimal() {
        assertThat(CrfBench.format(412.345)).isEqualTo("crf ms=412.3");
    }

    @Test
    void parsesSize() {
        assertThat(CrfBench.parseSize("500x375")).containsExactly(500, 375);
        assertThat(CrfBench.parseSize(" 1000X750 ")).containsExactly(1000, 750);
        assertThatThrownBy(() -> CrfBench.parseSize("500*375"))
                .hasMessage("--size: expected WxH with positive integers, e.g. 500x375, got '500*375'");
        assertThatThrownBy(() -> CrfBench.parseSize("0x5")).hasMessageContaining("got '0x5'");
    }

    @Test
    void syntheticInputsAreDeterministicAndWellFormed() {
        INDArray a = CrfBench.syntheticImage(40, 30);
        assertThat(a.shape()).containsExactly(3, 30, 40);
        assertThat(CrfBench.syntheticImage(40, 30)).isEqualTo(a);
        assertThat(a.minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
        assertThat(a.maxNumber().doubleValue()).isLessThanOrEqualTo(255);
        INDArray s = CrfBench.syntheticScores(40, 30, 4);
        assertThat(s.shape()).containsExactly(4, 30, 40);
        assertThat(CrfBench.syntheticScores(40, 30, 4)).isEqualTo(s);
        assertThat(s.sum(0).minNumber().doubleValue()).isCloseTo(1, org.assertj.core.api.Assertions.within(1e-5));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> CrfBench.run(0, 10, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0x10, labels 3");
        assertThatThrownBy(() -> CrfBench.run(10, 10, 0)).hasMessageContaining("labels 0");
    }
}
