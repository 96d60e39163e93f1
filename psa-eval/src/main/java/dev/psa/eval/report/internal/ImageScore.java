package dev.psa.eval.report.internal;

import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;
import dev.psa.eval.UnlabeledPrediction;

/**
 * How well one image's prediction matches its ground truth: the IoU of every class present in the
 * ground truth or the prediction, and their mean (the image's mIoU). Ground-truth pixels labelled
 * 255 are ignored; a predicted 255 ("no class") counts as a miss of the true class, or as background
 * when the stage was evaluated with {@code eval.unlabeled-pred-as=background} (as {@code Metrics} does).
 *
 * @param id     image id
 * @param miou   mean IoU over the classes present in ground truth or prediction
 * @param iou    per class: IoU, or NaN when the class is in neither
 * @param inTruth per class: whether the ground truth has it
 */
public record ImageScore(String id, double miou, double[] iou, boolean[] inTruth) {
    /**
     * Scores a prediction against its ground truth, a predicted 255 counting for no class.
     *
     * @throws IllegalArgumentException when the sizes differ
     */
    public static ImageScore of(String id, LabelMap prediction, LabelMap truth, int numClasses) {
        return of(id, prediction, truth, numClasses, UnlabeledPrediction.NONE);
    }

    /**
     * Scores a prediction against its ground truth.
     *
     * @param unlabeled what a predicted 255 counts as (the stage's {@code eval.unlabeled-pred-as})
     * @throws IllegalArgumentException when the sizes differ
     */
    public static ImageScore of(String id, LabelMap prediction, LabelMap truth, int numClasses,
                                UnlabeledPrediction unlabeled) {
        if (prediction.height() != truth.height() || prediction.width() != truth.width()) {
            throw new IllegalArgumentException(id + ": prediction " + prediction.width() + "x" + prediction.height()
                    + " but ground truth " + truth.width() + "x" + truth.height());
        }
        long[] inter = new long[numClasses];
        long[] union = new long[numClasses];
        boolean[] inTruth = new boolean[numClasses];
        int n = truth.height() * truth.width();
        for (int i = 0; i < n; i++) {
            int g = truth.get(i);
            if (g >= numClasses) {
                continue; // 255: ignored
            }
            int p = prediction.get(i);
            if (p == ClassList.IGNORE && unlabeled == UnlabeledPrediction.BACKGROUND) {
                p = 0;
            }
            inTruth[g] = true;
            union[g]++;
            if (p == g) {
                inter[g]++;
            } else if (p < numClasses) {
                union[p]++;
            }
        }
        double[] iou = new double[numClasses];
        double sum = 0;
        int present = 0;
        for (int c = 0; c < numClasses; c++) {
            if (union[c] == 0) {
                iou[c] = Double.NaN;
            } else {
                iou[c] = (double) inter[c] / union[c];
                sum += iou[c];
                present++;
            }
        }
        return new ImageScore(id, present == 0 ? Double.NaN : sum / present, iou, inTruth);
    }
}
