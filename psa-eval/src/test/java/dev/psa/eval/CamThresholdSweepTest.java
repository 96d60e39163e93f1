package dev.psa.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CamThresholdSweepTest {
    private static final ClassList FOUR = new ClassList(List.of("bg", "a", "b", "c"));

    @Test
    void rangeHasExactDecimalSteps() {
        double[] t = CamThresholdSweep.range(0, 0.6, 0.01);
        assertThat(t).hasSize(61);
        assertThat(t[7]).isEqualTo(0.07);
        assertThat(t[30]).isEqualTo(0.3);
        assertThat(t[60]).isEqualTo(0.6);
    }

    @Test
    void onePixelByHandBackgroundWinsTies() {
        // one pixel of class 2 whose CAM is 0.3: predicted 2 for t < 0.3, background from t = 0.3 on (tie)
        CamThresholdSweep s = new CamThresholdSweep(4, new double[] {0.1, 0.29, 0.3, 0.5});
        s.add(new LabelMap(1, 1, new byte[] {2}), new int[] {2}, new float[] {0.3f}, "p");
        assertThat(s.matrix(0).count(2, 2)).isEqualTo(1);
        assertThat(s.matrix(1).count(2, 2)).isEqualTo(1);
        assertThat(s.matrix(2).count(2, 0)).isEqualTo(1);
        assertThat(s.matrix(3).count(2, 0)).isEqualTo(1);
    }

    /** Every threshold's matrix equals a naive per-threshold argmax over [t, cams...]. */
    @Test
    void onePassEqualsNaivePerThresholdArgmax() {
        Random rnd = new Random(42);
        double[] thresholds = CamThresholdSweep.range(0.0, 0.6, 0.01);
        CamThresholdSweep sweep = new CamThresholdSweep(4, thresholds);
        ConfusionMatrix[] naive = new ConfusionMatrix[thresholds.length];
        for (int i = 0; i < naive.length; i++) {
            naive[i] = new ConfusionMatrix(4, UnlabeledPrediction.NONE);
        }
        for (int img = 0; img < 5; img++) {
            int h = 7 + img;
            int w = 9;
            byte[] gt = new byte[h * w];
            for (int i = 0; i < gt.length; i++) {
                int v = rnd.nextInt(5);
                gt[i] = (byte) (v == 4 ? 255 : v);
            }
            int[] ids = img == 0 ? new int[0] : img % 2 == 0 ? new int[] {1, 3} : new int[] {2};
            float[] cams = new float[ids.length * h * w];
            for (int i = 0; i < cams.length; i++) {
                // quantised to hit exact ties with the thresholds
                cams[i] = rnd.nextInt(4) == 0 ? (float) (rnd.nextInt(70) / 100.0) : rnd.nextFloat();
            }
            LabelMap g = new LabelMap(h, w, gt);
            sweep.add(g, ids, cams, "img" + img);
            for (int ti = 0; ti < thresholds.length; ti++) {
                byte[] pred = new byte[h * w];
                for (int p = 0; p < h * w; p++) {
                    float best = (float) thresholds[ti];
                    int arg = 0;
                    for (int c = 0; c < ids.length; c++) {
                        if (cams[c * h * w + p] > best) {
                            best = cams[c * h * w + p];
                            arg = ids[c];
                        }
                    }
                    pred[p] = (byte) arg;
                }
                naive[ti].add(g, new LabelMap(h, w, pred), "img" + img);
            }
        }
        CamThresholdSweep.Result r = sweep.result(FOUR);
        double bestNaive = -1;
        int bestIndex = -1;
        for (int ti = 0; ti < thresholds.length; ti++) {
            assertThat(sweep.matrix(ti).toArray()).as("threshold %s", thresholds[ti]).isDeepEqualTo(naive[ti].toArray());
            double m = Metrics.of(naive[ti], FOUR).meanIou();
            assertThat(r.points().get(ti).metrics().meanIou()).isCloseTo(m, within(1e-12));
            if (m > bestNaive) {
                bestNaive = m;
                bestIndex = ti;
            }
        }
        assertThat(r.bestIndex()).isEqualTo(bestIndex);
        assertThat(sweep.images()).isEqualTo(5);
    }

    @Test
    void mergedWorkerSweepsEqualOneSweep() {
        double[] t = {0.1, 0.2};
        CamThresholdSweep a = new CamThresholdSweep(4, t);
        CamThresholdSweep b = new CamThresholdSweep(4, t);
        CamThresholdSweep one = new CamThresholdSweep(4, t);
        LabelMap g1 = new LabelMap(1, 2, new byte[] {1, 0});
        LabelMap g2 = new LabelMap(1, 2, new byte[] {3, (byte) 255});
        a.add(g1, new int[] {1}, new float[] {0.15f, 0.5f}, "1");
        b.add(g2, new int[] {3}, new float[] {0.9f, 0.9f}, "2");
        one.add(g1, new int[] {1}, new float[] {0.15f, 0.5f}, "1");
        one.add(g2, new int[] {3}, new float[] {0.9f, 0.9f}, "2");
        a.merge(b);
        for (int i = 0; i < t.length; i++) {
            assertThat(a.matrix(i).toArray()).isDeepEqualTo(one.matrix(i).toArray());
        }
        assertThat(a.matrix(0).ignoredPixels()).isEqualTo(1);
    }
}
