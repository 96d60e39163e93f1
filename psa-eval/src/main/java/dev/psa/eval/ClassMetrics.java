package dev.psa.eval;

/**
 * The metrics of one class. Ratios are in [0, 1], {@code NaN} when undefined (e.g. precision of a
 * class never predicted).
 *
 * @param id          class id
 * @param name        class name
 * @param iou         TP / (TP + FP + FN); NaN when the class is absent from both ground truth and prediction
 * @param precision   TP / predicted pixels
 * @param recall      TP / ground-truth pixels
 * @param truePositives TP
 * @param groundTruthPixels TP + FN
 * @param predictedPixels   TP + FP
 */
public record ClassMetrics(int id, String name, double iou, double precision, double recall, long truePositives,
                           long groundTruthPixels, long predictedPixels) {
    /** Whether the class appears in the ground truth or the prediction (so it is part of the mean). */
    public boolean present() {
        return groundTruthPixels > 0 || predictedPixels > 0;
    }
}
