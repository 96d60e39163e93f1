package dev.psa.cam;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Average precision of a ranking and its mean over classes (the classifier's validation metric).
 * AP = Σ_n (R_n − R_{n−1}) · P_n over the distinct score thresholds in decreasing order (tied
 * scores form one threshold), i.e. the step-wise area under the precision–recall curve without
 * interpolation (as scikit-learn's {@code average_precision_score}).
 */
public final class AveragePrecision {
    private AveragePrecision() {
    }

    /**
     * @param scores   one score per item (higher = more likely positive)
     * @param positive whether each item is positive
     * @return AP in [0, 1], or NaN when there is no positive item
     */
    public static double of(double[] scores, boolean[] positive) {
        requireNonNull(scores, "scores is null");
        requireNonNull(positive, "positive is null");
        if (scores.length != positive.length) {
            throw new IllegalArgumentException("scores and positive differ in length: " + scores.length + " vs "
                    + positive.length);
        }
        long totalPos = IntStream.range(0, positive.length).filter(i -> positive[i]).count();
        if (totalPos == 0) {
            return Double.NaN;
        }
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        double ap = 0;
        double prevRecall = 0;
        int tp = 0;
        int seen = 0;
        int i = 0;
        while (i < order.length) {
            double threshold = scores[order[i]];
            while (i < order.length && scores[order[i]] == threshold) {
                if (positive[order[i]]) {
                    tp++;
                }
                seen++;
                i++;
            }
            double recall = (double) tp / totalPos;
            ap += (recall - prevRecall) * ((double) tp / seen);
            prevRecall = recall;
        }
        return ap;
    }

    /**
     * Mean AP over the classes (columns) that have at least one positive.
     *
     * @param scores   [items][classes] scores
     * @param positive [items][classes] labels
     * @return mAP in [0, 1], or NaN when no class has a positive
     */
    public static double mean(double[][] scores, boolean[][] positive) {
        requireNonNull(scores, "scores is null");
        requireNonNull(positive, "positive is null");
        if (scores.length != positive.length) {
            throw new IllegalArgumentException("scores and positive differ in items: " + scores.length + " vs "
                    + positive.length);
        }
        if (scores.length == 0) {
            return Double.NaN;
        }
        int classes = scores[0].length;
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            double[] s = new double[scores.length];
            boolean[] p = new boolean[scores.length];
            for (int i = 0; i < scores.length; i++) {
                if (scores[i].length != classes || positive[i].length != classes) {
                    throw new IllegalArgumentException("item " + i + " has " + scores[i].length + " scores and "
                            + positive[i].length + " labels; expected " + classes);
                }
                s[i] = scores[i][c];
                p[i] = positive[i][c];
            }
            double ap = of(s, p);
            if (!Double.isNaN(ap)) {
                sum += ap;
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }
}
