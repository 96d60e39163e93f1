package dev.psa.eval.report.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;
import dev.psa.eval.ConfusionMatrix;
import dev.psa.eval.Metrics;
import dev.psa.eval.UnlabeledPrediction;
import java.util.List;
import java.util.Random;
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
    void unlabeledPredictionAsBackgroundFollowsTheEvaluationRule() {
        // truth 0 1 / 1 0, prediction 255 1 / 1 255: a predicted 255 is a miss of background (IoU 0,
        // mIoU 1/2), or background itself (IoU 1, mIoU 1)
        LabelMap pred = map(2, 2, 255, 1, 1, 255);
        LabelMap truth = map(2, 2, 0, 1, 1, 0);
        assertThat(ImageScore.of("d", pred, truth, 3).miou()).isCloseTo(0.5, within(1e-12));
        assertThat(ImageScore.of("d", pred, truth, 3, UnlabeledPrediction.BACKGROUND).miou())
                .isCloseTo(1.0, within(1e-12));
    }

    /** The image's scores equal the evaluator's metrics of a one-image confusion matrix, under both rules. */
    @Test
    void agreesWithTheEvaluatorOnOneImage() {
        ClassList classes = new ClassList(List.of("background", "a", "b", "c", "d"));
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int h = 1 + rnd.nextInt(9);
            int w = 1 + rnd.nextInt(9);
            int[] t = new int[h * w];
            int[] p = new int[h * w];
            int present = 1 + rnd.nextInt(5); // few classes per image, as in real images
            for (int i = 0; i < t.length; i++) {
                t[i] = rnd.nextInt(8) == 0 ? 255 : rnd.nextInt(present);
                p[i] = rnd.nextInt(8) == 0 ? 255 : rnd.nextInt(present);
            }
            for (UnlabeledPrediction rule : UnlabeledPrediction.values()) {
                ImageScore s = ImageScore.of("r", map(h, w, p), map(h, w, t), classes.size(), rule);
                ConfusionMatrix cm = new ConfusionMatrix(classes.size(), rule);
                cm.add(map(h, w, t), map(h, w, p), "r");
                Metrics m = Metrics.of(cm, classes);
                double[] iou = m.iouArray();
                for (int c = 0; c < classes.size(); c++) {
                    if (Double.isNaN(iou[c])) {
                        assertThat(s.iou()[c]).as("trial %d %s class %d", trial, rule, c).isNaN();
                    } else {
                        assertThat(s.iou()[c]).as("trial %d %s class %d", trial, rule, c)
                                .isCloseTo(iou[c], within(1e-12));
                    }
                }
                if (Double.isNaN(m.meanIou())) {
                    assertThat(s.miou()).isNaN();
                } else {
                    assertThat(s.miou()).as("trial %d %s", trial, rule).isCloseTo(m.meanIou(), within(1e-12));
                }
            }
        }
    }

    @Test
    void sizesMustAgree() {
        assertThatThrownBy(() -> ImageScore.of("c", map(1, 2, 0, 0), map(2, 1, 0, 0), 3))
                .hasMessageContaining("c: prediction 2x1 but ground truth 1x2");
    }
}
