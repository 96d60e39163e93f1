package dev.psa.eval;

import static java.util.Objects.requireNonNull;

import dev.psa.api.CamSet;
import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.util.Arrays;

/**
 * CAM-only prediction at many constant background thresholds in one pass (REFERENCE.md §Stage 1,
 * "CAM-only prediction"): for threshold t the prediction is the argmax of [t, cam_1, …, cam_C]
 * with the background first, so background wins ties (as numpy's argmax over the padded stack;
 * t is compared in float32, the CAMs' type). One confusion matrix per threshold, filled without
 * looping over thresholds per pixel: each pixel lands in a histogram bucket (ground truth, best
 * class, number of thresholds below its best score) and the matrices are prefix sums of it.
 * Not thread-safe: one sweep per worker, then {@link #merge}.
 */
public final class CamThresholdSweep implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int k;
    private final double[] thresholds;
    private final float[] thresholdsF;
    /** [gt][cls][j] counts, j = number of thresholds strictly below the pixel's best CAM score (0..n). */
    private final long[] hist;
    private long ignored;
    private long images;

    /**
     * @param numClasses K
     * @param thresholds strictly increasing background scores
     */
    public CamThresholdSweep(int numClasses, double[] thresholds) {
        requireNonNull(thresholds, "thresholds is null");
        if (numClasses < 2 || numClasses > 255) {
            throw new IllegalArgumentException("numClasses must be in [2, 255], got " + numClasses);
        }
        if (thresholds.length == 0) {
            throw new IllegalArgumentException("at least one threshold is needed");
        }
        for (int i = 1; i < thresholds.length; i++) {
            if (!((float) thresholds[i] > (float) thresholds[i - 1])) {
                throw new IllegalArgumentException("thresholds must be strictly increasing (in float32), got "
                        + thresholds[i - 1] + " then " + thresholds[i]);
            }
        }
        this.k = numClasses;
        this.thresholds = thresholds.clone();
        this.thresholdsF = new float[thresholds.length];
        for (int i = 0; i < thresholds.length; i++) {
            thresholdsF[i] = (float) thresholds[i];
        }
        this.hist = new long[k * k * (thresholds.length + 1)];
    }

    /** The thresholds {@code min, min + step, …, ≤ max}, rounded to 1e-9 so 0.07 is 0.07. */
    public static double[] range(double min, double max, double step) {
        if (!(step > 0) || max < min) {
            throw new IllegalArgumentException("threshold range needs step > 0 and max >= min, got min " + min
                    + ", max " + max + ", step " + step);
        }
        int n = (int) Math.floor((max - min) / step + 1e-9) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = Math.round((min + i * step) * 1e9) / 1e9;
        }
        return t;
    }

    public int numClasses() {
        return k;
    }

    public double[] thresholds() {
        return thresholds.clone();
    }

    /**
     * Adds one image's CAMs.
     *
     * @param gt   ground truth [H, W], 255 ignored
     * @param cams the image's CAMs; {@code cams.cams()} is [C, H, W] (any float type, read as float32)
     */
    public void add(LabelMap gt, CamSet cams) {
        requireNonNull(cams, "cams is null");
        INDArray a = cams.cams();
        if (a.size(1) != gt.height() || a.size(2) != gt.width()) {
            throw new PsaException(cams.id() + ": CAMs are " + a.size(2) + "x" + a.size(1) + " (WxH) but the ground truth is "
                    + gt.width() + "x" + gt.height());
        }
        float[] data = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        add(gt, cams.classIds(), data, cams.id());
    }

    /**
     * Adds one image's CAMs given as a flat array.
     *
     * @param gt       ground truth [H, W], 255 ignored
     * @param classIds C foreground class ids (1..K-1), one per channel
     * @param cams     [C, H, W] float32 row-major (C·H·W values)
     * @param source   the image id, named in errors
     */
    public void add(LabelMap gt, int[] classIds, float[] cams, String source) {
        int hw = gt.height() * gt.width();
        int c = classIds.length;
        if (cams.length != c * hw) {
            throw new PsaException(source + ": CAM array has " + cams.length + " values, expected C*H*W = " + c + "*"
                    + gt.height() + "*" + gt.width() + " = " + (c * hw));
        }
        for (int id : classIds) {
            if (id <= 0 || id >= k) {
                throw new PsaException(source + ": CAM class id " + id + " outside the foreground ids 1.." + (k - 1));
            }
        }
        int n1 = thresholds.length + 1;
        byte[] g = gt.data();
        for (int i = 0; i < hw; i++) {
            int gv = g[i] & 0xFF;
            if (gv == ClassList.IGNORE) {
                ignored++;
                continue;
            }
            if (gv >= k) {
                throw new PsaException(source + ": ground-truth value " + gv + " outside 0.." + (k - 1)
                        + " (or 255 = ignore)");
            }
            int cls = 0;
            int j = 0;
            if (c > 0) {
                float best = cams[i];
                int bi = 0;
                for (int ch = 1; ch < c; ch++) {
                    float v = cams[ch * hw + i];
                    if (v > best) {
                        best = v;
                        bi = ch;
                    }
                }
                cls = classIds[bi];
                j = countBelow(best);
            }
            hist[(gv * k + cls) * n1 + j]++;
        }
        images++;
    }

    /** Number of thresholds t with t < v (float32 comparison). */
    private int countBelow(float v) {
        int lo = 0;
        int hi = thresholdsF.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (thresholdsF[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Adds every count of {@code other} (same K and thresholds). */
    public void merge(CamThresholdSweep other) {
        if (other.k != k || !Arrays.equals(other.thresholds, thresholds)) {
            throw new IllegalArgumentException("cannot merge sweeps with different classes or thresholds");
        }
        for (int i = 0; i < hist.length; i++) {
            hist[i] += other.hist[i];
        }
        ignored += other.ignored;
        images += other.images;
    }

    public long images() {
        return images;
    }

    /** @return the confusion matrix of threshold index {@code ti} */
    public ConfusionMatrix matrix(int ti) {
        if (ti < 0 || ti >= thresholds.length) {
            throw new IllegalArgumentException("threshold index " + ti + " outside 0.." + (thresholds.length - 1));
        }
        int n1 = thresholds.length + 1;
        ConfusionMatrix cm = new ConfusionMatrix(k, UnlabeledPrediction.NONE);
        for (int g = 0; g < k; g++) {
            for (int cls = 0; cls < k; cls++) {
                int base = (g * k + cls) * n1;
                long fg = 0;
                long bg = 0;
                for (int j = 0; j < n1; j++) {
                    // pixel predicts cls where t_ti < best, i.e. ti < j
                    if (j > ti) {
                        fg += hist[base + j];
                    } else {
                        bg += hist[base + j];
                    }
                }
                if (fg > 0) {
                    cm.add(g, cls, fg);
                }
                if (bg > 0) {
                    cm.add(g, 0, bg);
                }
            }
        }
        cm.add(ClassList.IGNORE, 0, ignored);
        for (long i = 0; i < images; i++) {
            cm.countImage();
        }
        return cm;
    }

    /** The curve: one point per threshold with its metrics. */
    public Result result(ClassList classes) {
        List<Point> points = new ArrayList<>(thresholds.length);
        int best = -1;
        for (int i = 0; i < thresholds.length; i++) {
            ConfusionMatrix cm = matrix(i);
            Metrics m = Metrics.of(cm, classes);
            points.add(new Point(thresholds[i], m, cm));
            if (best < 0 || m.meanIou() > points.get(best).metrics().meanIou()) {
                best = i;
            }
        }
        return new Result(points, best);
    }

    /** One threshold of the sweep. */
    public record Point(double threshold, Metrics metrics, ConfusionMatrix matrix) {
    }

    /**
     * The whole sweep.
     *
     * @param points    one per threshold, increasing
     * @param bestIndex the index of the highest mIoU (the lowest threshold among equals)
     */
    public record Result(List<Point> points, int bestIndex) {
        public Result {
            points = List.copyOf(points);
        }

        public Point best() {
            return points.get(bestIndex);
        }
    }
}
