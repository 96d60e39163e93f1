package dev.psa.eval;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;

/**
 * A streaming K×K confusion matrix of pixel counts (rows = ground truth, columns = prediction),
 * plus one extra column for predictions of 255 that count for no class. Ground-truth 255 pixels
 * are skipped (counted in {@link #ignoredPixels()}). Not thread-safe: give each worker its own
 * matrix and {@link #merge} them.
 */
public final class ConfusionMatrix implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int k;
    private final UnlabeledPrediction unlabeled;
    /** k rows × (k + 1) columns; column k = predicted 255 under {@link UnlabeledPrediction#NONE}. */
    private final long[] counts;
    private long ignored;
    private long unlabeledPredictions;
    private long images;

    /**
     * @param numClasses K, classes 0..K-1 (0 = background)
     * @param unlabeled  what a predicted 255 counts as
     */
    public ConfusionMatrix(int numClasses, UnlabeledPrediction unlabeled) {
        if (numClasses < 2 || numClasses > 255) {
            throw new IllegalArgumentException("numClasses must be in [2, 255], got " + numClasses);
        }
        this.k = numClasses;
        this.unlabeled = requireNonNull(unlabeled, "unlabeled is null");
        this.counts = new long[k * (k + 1)];
    }

    /** K. */
    public int numClasses() {
        return k;
    }

    public UnlabeledPrediction unlabeledRule() {
        return unlabeled;
    }

    /**
     * Adds one image.
     *
     * @param gt     ground truth, values 0..K-1 or 255 (ignored)
     * @param pred   prediction of the same size, values 0..K-1 or 255 (see {@link UnlabeledPrediction})
     * @param source the image id or file, named in errors
     * @throws PsaException naming the source when sizes differ or a value is out of range
     */
    public void add(LabelMap gt, LabelMap pred, String source) {
        requireNonNull(gt, "gt is null");
        requireNonNull(pred, "pred is null");
        if (gt.height() != pred.height() || gt.width() != pred.width()) {
            throw new PsaException(source + ": prediction is " + pred.width() + "x" + pred.height()
                    + " but the ground truth is " + gt.width() + "x" + gt.height());
        }
        byte[] g = gt.data();
        byte[] p = pred.data();
        int none = unlabeled == UnlabeledPrediction.NONE ? k : 0;
        int w = k + 1;
        for (int i = 0; i < g.length; i++) {
            int gv = g[i] & 0xFF;
            if (gv == ClassList.IGNORE) {
                ignored++;
                continue;
            }
            int pv = p[i] & 0xFF;
            if (gv >= k) {
                throw new PsaException(source + ": ground-truth value " + gv + " at (y=" + (i / gt.width()) + ", x="
                        + (i % gt.width()) + ") is outside 0.." + (k - 1) + " (or 255 = ignore)");
            }
            if (pv >= k) {
                if (pv != ClassList.IGNORE) {
                    throw new PsaException(source + ": predicted value " + pv + " at (y=" + (i / gt.width()) + ", x="
                            + (i % gt.width()) + ") is outside 0.." + (k - 1) + " (or 255 = no label)");
                }
                unlabeledPredictions++;
                pv = none;
            }
            counts[gv * w + pv]++;
        }
        images++;
    }

    /**
     * Adds {@code n} pixels of ground truth {@code gt} predicted as {@code pred} (255 follows the
     * unlabeled rule); ground truth 255 counts as ignored.
     */
    public void add(int gt, int pred, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        if (gt == ClassList.IGNORE) {
            ignored += n;
            return;
        }
        checkClass(gt, "gt");
        int col = pred;
        if (pred == ClassList.IGNORE) {
            unlabeledPredictions += n;
            col = unlabeled == UnlabeledPrediction.NONE ? k : 0;
        } else {
            checkClass(pred, "pred");
        }
        counts[gt * (k + 1) + col] += n;
    }

    /** Counts one more image (for {@link #add(int, int, long)} users). */
    public void countImage() {
        images++;
    }

    /** Adds every count of {@code other} (same K and rule) into this matrix. */
    public void merge(ConfusionMatrix other) {
        requireNonNull(other, "other is null");
        if (other.k != k || other.unlabeled != unlabeled) {
            throw new IllegalArgumentException("cannot merge a " + other.k + "-class/" + other.unlabeled.key()
                    + " matrix into a " + k + "-class/" + unlabeled.key() + " one");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        ignored += other.ignored;
        unlabeledPredictions += other.unlabeledPredictions;
        images += other.images;
    }

    /** Pixels with ground truth {@code gt} predicted as class {@code pred} (0..K-1). */
    public long count(int gt, int pred) {
        checkClass(gt, "gt");
        checkClass(pred, "pred");
        return counts[gt * (k + 1) + pred];
    }

    /** Pixels with ground truth {@code gt} predicted 255 that count for no class (always 0 under BACKGROUND). */
    public long countUnassigned(int gt) {
        checkClass(gt, "gt");
        return counts[gt * (k + 1) + k];
    }

    /** Ground-truth pixels of class c (every prediction, including ones that count for no class). */
    public long groundTruthTotal(int c) {
        checkClass(c, "class");
        long s = 0;
        for (int j = 0; j <= k; j++) {
            s += counts[c * (k + 1) + j];
        }
        return s;
    }

    /** Pixels predicted as class c (over non-ignored ground truth). */
    public long predictedTotal(int c) {
        checkClass(c, "class");
        long s = 0;
        for (int i = 0; i < k; i++) {
            s += counts[i * (k + 1) + c];
        }
        return s;
    }

    /** All evaluated pixels (ground truth not 255). */
    public long totalPixels() {
        long s = 0;
        for (long c : counts) {
            s += c;
        }
        return s;
    }

    /** Pixels skipped because the ground truth is 255. */
    public long ignoredPixels() {
        return ignored;
    }

    /** Evaluated pixels whose prediction was 255. */
    public long unlabeledPredictions() {
        return unlabeledPredictions;
    }

    /** Images added through {@link #add(LabelMap, LabelMap, String)} or {@link #countImage()}. */
    public long images() {
        return images;
    }

    /** @return a copy, K rows × (K+1) columns; the last column = predicted 255 counted for no class */
    public long[][] toArray() {
        long[][] out = new long[k][k + 1];
        for (int i = 0; i < k; i++) {
            System.arraycopy(counts, i * (k + 1), out[i], 0, k + 1);
        }
        return out;
    }

    /** @return a copy of this matrix */
    public ConfusionMatrix copy() {
        ConfusionMatrix c = new ConfusionMatrix(k, unlabeled);
        c.merge(this);
        return c;
    }

    private void checkClass(int c, String what) {
        if (c < 0 || c >= k) {
            throw new IllegalArgumentException(what + " class " + c + " outside 0.." + (k - 1));
        }
    }
}
