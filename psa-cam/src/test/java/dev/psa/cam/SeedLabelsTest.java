package dev.psa.cam;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.CamSet;
import dev.psa.api.LabelMap;

class SeedLabelsTest {
    private static final INDArray IMAGE = Nd4j.zeros(DataType.FLOAT, 3, 1, 4);

    @Test
    void confidentForegroundUncertainAndConfidentBackgroundByHand() {
        // one class (id 3), CAM 1.0, 0.6, 0.2, 0.0
        CamSet cams = new CamSet("a", new int[] {3}, Nd4j.createFromArray(new float[] {1f, 0.6f, 0.2f, 0f})
                .reshape(1, 1, 4));
        // lo: bg = (1-v)^4 = 0, 0.0256, 0.4096, 1 → fg, fg, bg, bg
        // hi: bg = (1-v)^32 = 0, 1.8e-13, 7.9e-4, 1 → fg, fg, fg, bg
        LabelMap seeds = SeedLabels.compute(cams, IMAGE, 4, 32, ScoreRefiner.NONE);
        assertThat(seeds.toIntArray()).containsExactly(3, 3, 255, 0);
    }

    @Test
    void twoClassesTakeTheArgmaxAndNoClassMeansBackground() {
        INDArray c = Nd4j.createFromArray(new float[] {0.9f, 0.3f, 0.05f, 0.5f, 0.8f, 0.05f}).reshape(2, 1, 3);
        LabelMap seeds = SeedLabels.compute(new CamSet("b", new int[] {1, 2}, c), Nd4j.zeros(DataType.FLOAT, 3, 1, 3),
                4, 32, ScoreRefiner.NONE);
        // pixel 2: max 0.05 → lo bg 0.81 wins (255), hi bg 0.19 wins too (0)
        assertThat(seeds.toIntArray()).containsExactly(1, 2, 0);
        LabelMap none = SeedLabels.compute(new CamSet("c", new int[] {}, Nd4j.zeros(DataType.FLOAT, 0, 1, 4)), IMAGE,
                4, 32, ScoreRefiner.NONE);
        assertThat(none.toIntArray()).containsOnly(0);
    }

    @Test
    void theRefinerSeesBackgroundThenClassesAndItsOutputDecides() {
        CamSet cams = new CamSet("a", new int[] {5}, Nd4j.createFromArray(new float[] {1f, 0.6f, 0.2f, 0f})
                .reshape(1, 1, 4));
        INDArray[] seen = new INDArray[2];
        int[] calls = {0};
        // a refiner that swaps bg and class at pixel 0 and records its input
        ScoreRefiner swap = (image, scores) -> {
            seen[calls[0]++] = scores.dup();
            INDArray q = scores.dup();
            q.putScalar(new long[] {0, 0, 0}, 1.0);
            q.putScalar(new long[] {1, 0, 0}, 0.0);
            return q;
        };
        LabelMap seeds = SeedLabels.compute(cams, IMAGE, 4, 32, swap);
        assertThat(calls[0]).isEqualTo(2);
        assertThat(seen[0].getDouble(0, 0, 1)).isEqualTo(Math.pow(0.4, 4), org.assertj.core.api.Assertions.within(1e-6));
        assertThat(seen[1].getDouble(0, 0, 2)).isEqualTo(Math.pow(0.8, 32), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(seen[0].getDouble(1, 0, 1)).isEqualTo(0.6, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(seeds.toIntArray()).containsExactly(0, 5, 255, 0);
    }

    @Test
    void camPredictionPrependsTheBackgroundScore() {
        INDArray c = Nd4j.createFromArray(new float[] {0.9f, 0.3f, 0.1f, 0.5f, 0.8f, 0.2f}).reshape(2, 1, 3);
        LabelMap pred = CamPrediction.predict(new CamSet("p", new int[] {4, 7}, c), 0.2);
        // pixel 2: 0.1 and 0.2 do not beat the background 0.2 (ties go to background)
        assertThat(pred.toIntArray()).containsExactly(4, 7, 0);
    }
}
