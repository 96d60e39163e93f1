package dev.psa.eval.report.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.psa.api.LabelMap;
import org.junit.jupiter.api.Test;

class ImageScoreTest {
    private static LabelMap map(int h, int w, int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return new LabelMap(h, w, b);
    }

    @Test
    void handCheckedImage() {
        // truth 0 0 1 / 1 1 255, prediction 0 1 1 / 1 0 0:
        // class 0: 1 pixel in both, 3 in either -> 1/3; class 1: 2 in both, 4 in either -> 1/2; class 2 absent
        ImageScore s = ImageScore.of("a", map(2, 3, 0, 1, 1, 1, 0, 0), map(2, 3, 0, 0, 1, 1, 1, 255), 3);
        assertThat(s.iou()[0]).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(s.iou()[1]).isCloseTo(0.5, within(1e-12));
        assertThat(s.iou()[2]).isNaN();
        assertThat(s.miou()).isCloseTo(5.0 / 12, within(1e-12));
        assertThat(s.inTruth()).containsExactly(true, true, false);
    }

    @Test
    void noClassPredictionIsAMissAndAClassOnlyPredictedCounts() {
        ImageScore s = ImageScore.of("b", map(1, 2, 255, 1), map(1, 2, 2, 0), 3);
        assertThat(s.iou()[0]).isZero(); // in the truth, never predicted
        assertThat(s.iou()[1]).isZero(); // predicted, not in the truth
        assertThat(s.iou()[2]).isZero(); // predicted as "no class"
        assertThat(s.miou()).isZero();
        assertThat(s.inTruth()).containsExactly(true, false, true);
    }

    @Test
    void sizesMustAgree() {
        assertThatThrownBy(() -> ImageScore.of("c", map(1, 2, 0, 0), map(2, 1, 0, 0), 3))
                .hasMessageContaining("c: prediction 2x1 but ground truth 1x2");
    }
}
