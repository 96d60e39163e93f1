package dev.psa.eval;

import static java.util.Objects.requireNonNull;

import dev.psa.api.ClassList;
import java.util.ArrayList;
import java.util.List;

/**
 * Segmentation metrics from a confusion matrix (REFERENCE.md §Evaluation). mIoU is the mean IoU
 * over the classes present in the ground truth or the prediction; classes absent from both are left
 * out of the mean and listed in {@link #absentClasses()}.
 *
 * @param classes        per class, in id order
 * @param meanIou        mIoU in [0, 1] (NaN when no class is present)
 * @param pixelAccuracy  correctly predicted / evaluated pixels (NaN when there are none)
 * @param meanPrecision  mean precision over classes where it is defined
 * @param meanRecall     mean recall over classes where it is defined
 * @param absentClasses  names of the classes left out of the mean
 * @param pixels         evaluated pixels (ground truth not 255)
 * @param ignoredPixels  ground-truth 255 pixels
 * @param unlabeledPredictions evaluated pixels predicted 255
 * @param images         images counted
 */
public record Metrics(List<ClassMetrics> classes, double meanIou, double pixelAccuracy, double meanPrecision,
                      double meanRecall, List<String> absentClasses, long pixels, long ignoredPixels,
                      long unlabeledPredictions, long images) {
    public Metrics {
        classes = List.copyOf(classes);
        absentClasses = List.copyOf(absentClasses);
    }

    /**
     * @param cm      the counts
     * @param classes the class names; its size must equal the matrix's K
     */
    public static Metrics of(ConfusionMatrix cm, ClassList classes) {
        requireNonNull(cm, "cm is null");
        requireNonNull(classes, "classes is null");
        int k = cm.numClasses();
        if (classes.size() != k) {
            throw new IllegalArgumentException("class list has " + classes.size() + " classes, matrix " + k);
        }
        List<ClassMetrics> out = new ArrayList<>(k);
        List<String> absent = new ArrayList<>();
        double iouSum = 0;
        int iouN = 0;
        double pSum = 0;
        int pN = 0;
        double rSum = 0;
        int rN = 0;
        long correct = 0;
        for (int c = 0; c < k; c++) {
            long tp = cm.count(c, c);
            long gt = cm.groundTruthTotal(c);
            long pred = cm.predictedTotal(c);
            long union = gt + pred - tp;
            double iou = union > 0 ? (double) tp / union : Double.NaN;
            double precision = pred > 0 ? (double) tp / pred : Double.NaN;
            double recall = gt > 0 ? (double) tp / gt : Double.NaN;
            ClassMetrics m = new ClassMetrics(c, classes.name(c), iou, precision, recall, tp, gt, pred);
            out.add(m);
            correct += tp;
            if (m.present()) {
                iouSum += iou;
                iouN++;
            } else {
                absent.add(classes.name(c));
            }
            if (!Double.isNaN(precision)) {
                pSum += precision;
                pN++;
            }
            if (!Double.isNaN(recall)) {
                rSum += recall;
                rN++;
            }
        }
        long total = cm.totalPixels();
        return new Metrics(out, iouN > 0 ? iouSum / iouN : Double.NaN, total > 0 ? (double) correct / total : Double.NaN,
                pN > 0 ? pSum / pN : Double.NaN, rN > 0 ? rSum / rN : Double.NaN, absent, total, cm.ignoredPixels(),
                cm.unlabeledPredictions(), cm.images());
    }

    /** Number of classes in the mean. */
    public int classesInMean() {
        return classes.size() - absentClasses.size();
    }

    /** Per-class IoU in id order (NaN for absent classes). */
    public double[] iouArray() {
        return classes.stream().mapToDouble(ClassMetrics::iou).toArray();
    }
}
