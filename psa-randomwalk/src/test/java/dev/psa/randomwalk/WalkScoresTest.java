package dev.psa.randomwalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.psa.api.CamSet;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Score preparation, upsampling and argmax of REFERENCE.md §Stage 4, against hand-computed values. */
class WalkScoresTest {
    /**
     * A 12×10 image (W×H) pads to 16×16: h = w = 2. Constant CAMs 0.25 (class 2) and 0.5 (class 5),
     * α = 2: background (1 − 0.5)² = 0.25. Cell (0,0) covers 64 image pixels, (0,1) 8·4 = 32,
     * (1,0) 2·8 = 16, (1,1) 2·4 = 8; the padding counts as 0 in the 8×8 mean.
     */
    @Test
    void backgroundPaddingAndPoolingByHand() {
        INDArray cams = Nd4j.zeros(DataType.FLOAT, 2, 10, 12);
        cams.slice(0).assign(0.25);
        cams.slice(1).assign(0.5);
        WalkScores s = WalkScores.prepare(new CamSet("img", new int[] {2, 5}, cams), 21, 2);
        assertThat(s.classIds()).containsExactly(0, 2, 5);
        assertThat(s.scores().shape()).containsExactly(3, 2, 2);
        assertThat(s.imageHeight()).isEqualTo(10);
        assertThat(s.imageWidth()).isEqualTo(12);
        double[][] share = {{1, 0.5}, {0.25, 0.125}};
        double[] full = {0.25, 0.25, 0.5};
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 2; x++) {
                    assertThat(s.scores().getDouble(c, y, x)).as("c=%d y=%d x=%d", c, y, x)
                            .isCloseTo(full[c] * share[y][x], within(1e-7));
                }
            }
        }
    }

    /** The background power is taken at full resolution, before pooling: mean(1, 0) = 0.5, not (1 − 0.5)². */
    @Test
    void backgroundIsComputedBeforePooling() {
        INDArray cams = Nd4j.zeros(DataType.FLOAT, 1, 8, 8);
        for (int y = 0; y < 8; y++) {
            for (int x = 4; x < 8; x++) {
                cams.putScalar(new int[] {0, y, x}, 1.0);
            }
        }
        WalkScores s = WalkScores.prepare(new CamSet("img", new int[] {7}, cams), 21, 2);
        assertThat(s.scores().getDouble(0, 0, 0)).isCloseTo(0.5, within(1e-7));
        assertThat(s.scores().getDouble(1, 0, 0)).isCloseTo(0.5, within(1e-7));
    }

    @Test
    void noPresentClassLeavesBackgroundOnly() {
        WalkScores s = WalkScores.prepare(new CamSet("img", new int[0], Nd4j.zeros(DataType.FLOAT, 0, 9, 8)), 21, 16);
        assertThat(s.classIds()).containsExactly(0);
        assertThat(s.scores().shape()).containsExactly(1, 2, 1);
        assertThat(s.scores().getDouble(0, 0, 0)).isEqualTo(1.0);
        assertThat(s.scores().getDouble(0, 1, 0)).isCloseTo(1.0 / 8, within(1e-7));
        assertThat(s.labels()).isEqualTo(LabelMap.filled(9, 8, 0));
    }

    @Test
    void classIdsMustBeBelowNumClasses() {
        CamSet cams = new CamSet("2007_000032", new int[] {3, 21}, Nd4j.zeros(DataType.FLOAT, 2, 8, 8));
        assertThatThrownBy(() -> WalkScores.prepare(cams, 21, 16)).isInstanceOf(PsaException.class)
                .hasMessageContaining("2007_000032").hasMessageContaining("class id 21").hasMessageContaining("1..20");
    }

    /**
     * Grid 1×2 (a 12×5 image): background [1, 0], class 7 [0, 1]. Upsampled ×8 the class score at
     * column x is s(x) = clamp((x + 0.5)/8 − 0.5, 0, 1) and background 1 − s(x): class 7 wins from x = 8.
     */
    @Test
    void labelsAreTheArgmaxOfTheUpsampledScoresAsClassIds() {
        INDArray scores = Nd4j.create(new float[] {1, 0, 0, 1}, new long[] {2, 1, 2}, DataType.FLOAT);
        WalkScores s = new WalkScores(new int[] {0, 7}, scores, 5, 12);
        INDArray up = s.upsampled();
        assertThat(up.shape()).containsExactly(2, 5, 12);
        assertThat(up.getDouble(1, 2, 9)).isCloseTo((9.5) / 8 - 0.5, within(1e-6));
        LabelMap labels = s.labels();
        assertThat(labels.height()).isEqualTo(5);
        assertThat(labels.width()).isEqualTo(12);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 12; x++) {
                assertThat(labels.get(y, x)).as("(%d, %d)", y, x).isEqualTo(x >= 8 ? 7 : 0);
            }
        }
    }

    @Test
    void channelIndicesMapToClassIds() {
        WalkScores s = new WalkScores(new int[] {0, 7, 12}, Nd4j.zeros(DataType.FLOAT, 3, 1, 1), 2, 2);
        LabelMap mapped = s.toClassIds(new LabelMap(2, 2, new byte[] {0, 1, 2, (byte) 255}));
        assertThat(mapped.toIntArray()).containsExactly(0, 7, 12, 255);
        assertThatThrownBy(() -> s.toClassIds(new LabelMap(1, 1, new byte[] {3})))
                .hasMessageContaining("channel index 3").hasMessageContaining("[0, 7, 12]");
    }

    @Test
    void rejectsScoresOffTheImageGrid() {
        assertThatThrownBy(() -> new WalkScores(new int[] {0, 7}, Nd4j.zeros(DataType.FLOAT, 2, 2, 1), 5, 12))
                .hasMessageContaining("[K', h, w] = [2, 1, 2]").hasMessageContaining("[2, 2, 1]");
        assertThatThrownBy(() -> new WalkScores(new int[] {3, 7}, Nd4j.zeros(DataType.FLOAT, 2, 1, 2), 5, 12))
                .hasMessageContaining("background");
    }
}
