package dev.psa.cam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AveragePrecisionTest {
    @Test
    void handComputedRanking() {
        // ranks: P N P N → precision at the positives 1/1 and 2/3, each recall step 1/2
        double ap = AveragePrecision.of(new double[] {0.9, 0.8, 0.7, 0.6}, new boolean[] {true, false, true, false});
        assertThat(ap).isCloseTo(0.5 * 1 + 0.5 * 2 / 3.0, within(1e-12));
    }

    @Test
    void tiedScoresFormOneThreshold() {
        // threshold 0.5: tp 1 of 2 seen (recall 1/2, precision 1/2); 0.2: tp 2 of 3 (recall 1, precision 2/3)
        double ap = AveragePrecision.of(new double[] {0.5, 0.2, 0.5}, new boolean[] {true, true, false});
        assertThat(ap).isCloseTo(0.5 * 0.5 + 0.5 * 2 / 3.0, within(1e-12));
    }

    @Test
    void perfectAndNoPositives() {
        assertThat(AveragePrecision.of(new double[] {3, 2, 1}, new boolean[] {true, true, false})).isEqualTo(1.0);
        assertThat(AveragePrecision.of(new double[] {3, 2}, new boolean[] {false, false})).isNaN();
    }

    @Test
    void meanSkipsClassesWithoutPositives() {
        double[][] scores = {{0.9, 0.1, 0.3}, {0.8, 0.2, 0.9}, {0.1, 0.7, 0.5}};
        boolean[][] pos = {{true, false, false}, {false, false, true}, {true, false, false}};
        // class 0: ranks P N P → (1 + 2/3)/2; class 1: no positive; class 2: P first → 1
        assertThat(AveragePrecision.mean(scores, pos)).isCloseTo(((1 + 2 / 3.0) / 2 + 1) / 2, within(1e-12));
    }
}
