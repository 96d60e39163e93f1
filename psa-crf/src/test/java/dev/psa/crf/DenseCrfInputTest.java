package dev.psa.crf;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DenseCrfInputTest {
    private final DenseCrf crf = new DenseCrf(CrfConfig.psa());
    private final INDArray image = Nd4j.rand(DataType.FLOAT, 3, 24, 32).muli(255);

    @Test
    void scoresOfAnotherSize() {
        assertThatThrownBy(() -> crf.inferScores(image, Nd4j.rand(DataType.FLOAT, 3, 24, 30)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scores: expected [L, H, W] = [*, 24, 32], got [3, 24, 30]");
    }

    @Test
    void imageWithoutThreeChannels() {
        assertThatThrownBy(() -> crf.inferScores(Nd4j.rand(DataType.FLOAT, 4, 24, 32), Nd4j.rand(DataType.FLOAT, 3, 24,
                32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image: expected [3, H, W] = [3, *, *], got [4, 24, 32]");
    }

    @Test
    void scoresWithBatchAxis() {
        assertThatThrownBy(() -> crf.inferScores(image, Nd4j.rand(DataType.FLOAT, 1, 3, 24, 32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scores: expected [L, H, W]");
    }

    @Test
    void nanScores() {
        INDArray s = Nd4j.rand(DataType.FLOAT, 3, 24, 32);
        s.putScalar(new long[] {2, 5, 7}, Float.NaN);
        assertThatThrownBy(() -> crf.inferScores(image, s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("scores: NaN at (label 2, y=5, x=7)");
    }

    @Test
    void nanImage() {
        INDArray im = image.dup();
        im.putScalar(new long[] {1, 3, 4}, Float.NaN);
        assertThatThrownBy(() -> crf.inferScores(im, Nd4j.rand(DataType.FLOAT, 3, 24, 32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("image: non-finite value NaN at (channel 1, y=3, x=4)");
    }

    @Test
    void zeroLabelsInScores() {
        assertThatThrownBy(() -> crf.inferScores(image, Nd4j.create(DataType.FLOAT, 0, 24, 32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scores: need at least one label, got shape [0, 24, 32]");
    }

    @Test
    void zeroLabelsForLabelMap() {
        assertThatThrownBy(() -> crf.inferLabels(image, LabelMap.filled(24, 32, 0), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("numLabels: need at least one label, got 0");
    }

    @Test
    void labelMapOfAnotherSize() {
        assertThatThrownBy(() -> crf.inferLabels(image, LabelMap.filled(32, 24, 0), 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("labels: expected [H, W] = [24, 32] (the image's size), got [32, 24]");
    }

    @Test
    void labelOutsideRange() {
        LabelMap labels = LabelMap.filled(24, 32, 0);
        labels.data()[3 * 32 + 1] = 7;
        assertThatThrownBy(() -> crf.inferLabels(image, labels, 3))
                .isInstanceOf(PsaException.class)
                .hasMessageContaining("label value 7 at (y=3, x=1)");
    }

    @Test
    void integerScores() {
        assertThatThrownBy(() -> crf.inferScores(image, Nd4j.zeros(DataType.INT32, 3, 24, 32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scores: expected a floating-point array (float32), got INT");
    }

    @Test
    void nullArguments() {
        assertThatThrownBy(() -> crf.inferScores(null, Nd4j.rand(DataType.FLOAT, 3, 24, 32)))
                .hasMessage("image is null");
        assertThatThrownBy(() -> crf.inferLabels(image, null, 3)).hasMessage("labels is null");
        assertThatThrownBy(() -> new DenseCrf(null)).hasMessage("config is null");
    }

    @Test
    void badThreadCount() {
        assertThatThrownBy(() -> new DenseCrf(CrfConfig.psa(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must be >= 1, got 0");
    }

    @Test
    void argmaxOfTooManyLabels() {
        assertThatThrownBy(() -> DenseCrf.argmax(Nd4j.zeros(DataType.FLOAT, 256, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("marginals: need 1..255 labels to fit a label map, got 256");
    }

    @Test
    void tooManyValues() {
        assertThatThrownBy(() -> crf.inferLabels(image, LabelMap.filled(24, 32, 0), 10_000_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("too large for one CRF: 32x24 pixels with 10000000 labels exceed 2^31 values");
    }

    @Test
    void energiesOfWrongLength() {
        assertThatThrownBy(() -> crf.inferEnergies(new float[3 * 4], 2, 2, new float[7], 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected rgb of 3*H*W = 12 and unary of L*H*W = 8 floats, got 12 and 7");
    }
}
