package dev.psa.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    private static final ClassList ABC = new ClassList(List.of("bg", "a", "b"));

    private static LabelMap map(int h, int w, int... v) {
        byte[] d = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = (byte) v[i];
        }
        return new LabelMap(h, w, d);
    }

    // gt   = 0 0 1 | 1 2 255
    // pred = 0 1 1 | 1 255 2
    private static final LabelMap GT = map(2, 3, 0, 0, 1, 1, 2, 255);
    private static final LabelMap PRED = map(2, 3, 0, 1, 1, 1, 255, 2);

    @Test
    void countsByHandWithPredicted255ForNoClass() {
        ConfusionMatrix cm = new ConfusionMatrix(3, UnlabeledPrediction.NONE);
        cm.add(GT, PRED, "t");
        assertThat(cm.toArray()).isDeepEqualTo(new long[][] {{1, 1, 0, 0}, {0, 2, 0, 0}, {0, 0, 0, 1}});
        assertThat(cm.ignoredPixels()).isEqualTo(1);
        assertThat(cm.unlabeledPredictions()).isEqualTo(1);
        assertThat(cm.totalPixels()).isEqualTo(5);

        Metrics m = Metrics.of(cm, ABC);
        // bg: TP 1, GT 2, pred 1 -> 1/2; a: TP 2, GT 2, pred 3 -> 2/3; b: TP 0, GT 1, pred 0 -> 0
        assertThat(m.classes().get(0).iou()).isCloseTo(0.5, within(1e-12));
        assertThat(m.classes().get(1).iou()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.classes().get(2).iou()).isZero();
        assertThat(m.meanIou()).isCloseTo((0.5 + 2.0 / 3) / 3, within(1e-12));
        assertThat(m.pixelAccuracy()).isCloseTo(3.0 / 5, within(1e-12));
        assertThat(m.classes().get(0).precision()).isEqualTo(1.0);
        assertThat(m.classes().get(0).recall()).isEqualTo(0.5);
        assertThat(m.classes().get(1).precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.classes().get(1).recall()).isEqualTo(1.0);
        assertThat(m.classes().get(2).precision()).isNaN();
        assertThat(m.classes().get(2).recall()).isZero();
        assertThat(m.absentClasses()).isEmpty();
    }

    @Test
    void predicted255AsBackgroundFollowsIrn() {
        ConfusionMatrix cm = new ConfusionMatrix(3, UnlabeledPrediction.BACKGROUND);
        cm.add(GT, PRED, "t");
        assertThat(cm.toArray()).isDeepEqualTo(new long[][] {{1, 1, 0, 0}, {0, 2, 0, 0}, {1, 0, 0, 0}});
        Metrics m = Metrics.of(cm, ABC);
        // bg: TP 1, GT 2, pred 2 -> 1/3
        assertThat(m.classes().get(0).iou()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(m.meanIou()).isCloseTo((1.0 / 3 + 2.0 / 3 + 0) / 3, within(1e-12));
    }

    @Test
    void classAbsentFromBothIsLeftOutOfTheMean() {
        ClassList four = new ClassList(List.of("bg", "a", "b", "c"));
        ConfusionMatrix cm = new ConfusionMatrix(4, UnlabeledPrediction.NONE);
        cm.add(GT, PRED, "t");
        Metrics m = Metrics.of(cm, four);
        assertThat(m.absentClasses()).containsExactly("c");
        assertThat(m.classesInMean()).isEqualTo(3);
        assertThat(m.classes().get(3).iou()).isNaN();
        assertThat(m.meanIou()).isCloseTo((0.5 + 2.0 / 3) / 3, within(1e-12));
    }

    @Test
    void mergeEqualsAddingEverythingToOneMatrix() {
        ConfusionMatrix a = new ConfusionMatrix(3, UnlabeledPrediction.NONE);
        ConfusionMatrix b = new ConfusionMatrix(3, UnlabeledPrediction.NONE);
        ConfusionMatrix both = new ConfusionMatrix(3, UnlabeledPrediction.NONE);
        LabelMap gt2 = map(1, 3, 2, 2, 1);
        LabelMap pred2 = map(1, 3, 2, 0, 1);
        a.add(GT, PRED, "1");
        b.add(gt2, pred2, "2");
        both.add(GT, PRED, "1");
        both.add(gt2, pred2, "2");
        a.merge(b);
        assertThat(a.toArray()).isDeepEqualTo(both.toArray());
        assertThat(a.images()).isEqualTo(2);
        assertThat(a.ignoredPixels()).isEqualTo(both.ignoredPixels());
    }

    @Test
    void perfectPredictionIsHundredPercent() {
        ConfusionMatrix cm = new ConfusionMatrix(3, UnlabeledPrediction.NONE);
        cm.add(GT, GT, "t");
        Metrics m = Metrics.of(cm, ABC);
        assertThat(m.meanIou()).isEqualTo(1.0);
        assertThat(EvalTable.miouLine(m.meanIou())).isEqualTo("mIoU: 100.00");
    }

    @Test
    void rejectsSizeMismatchAndOutOfRangeValuesNamingTheSource() {
        ConfusionMatrix cm = new ConfusionMatrix(3, UnlabeledPrediction.NONE);
        assertThatThrownBy(() -> cm.add(GT, map(1, 2, 0, 0), "img7"))
                .isInstanceOf(PsaException.class).hasMessageContaining("img7").hasMessageContaining("2x1")
                .hasMessageContaining("3x2");
        assertThatThrownBy(() -> cm.add(GT, map(2, 3, 0, 0, 0, 7, 0, 0), "img8"))
                .isInstanceOf(PsaException.class).hasMessageContaining("img8").hasMessageContaining("value 7");
    }
}
