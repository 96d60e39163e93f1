package dev.psa.eval;

import java.util.Locale;

/** Formats an {@link EvalResult} as the terminal table of {@code psa eval}. */
public final class EvalTable {
    private EvalTable() {
    }

    /** Percent with two decimals, or "-" for NaN. */
    static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v * 100);
    }

    /**
     * The table: one row per class (IoU, precision, recall, ground-truth / predicted pixels), then the
     * summary lines, the last being exactly {@code mIoU: <percent with two decimals>}.
     */
    public static String format(EvalResult r) {
        StringBuilder sb = new StringBuilder();
        Metrics m = r.metrics();
        sb.append(String.format(Locale.ROOT, "Evaluated %s: %d images (%s, %s), %.1f s%n", r.stage(), r.images(),
                r.dataset(), r.split(), r.seconds()));
        if (r.sweep().isPresent()) {
            CamThresholdSweep.Point best = r.sweep().get().best();
            sb.append(String.format(Locale.ROOT, "CAM background threshold sweep %.2f..%.2f step %.2f: best %.2f%n",
                    r.config().thresholdMin(), r.config().thresholdMax(), r.config().thresholdStep(), best.threshold()));
        }
        int nameWidth = 12;
        for (ClassMetrics c : m.classes()) {
            nameWidth = Math.max(nameWidth, c.name().length());
        }
        String rowFmt = "%3s  %-" + nameWidth + "s %7s %7s %7s %12s %12s%n";
        sb.append(String.format(Locale.ROOT, rowFmt, "id", "class", "IoU", "prec", "recall", "gt px", "pred px"));
        for (ClassMetrics c : m.classes()) {
            sb.append(String.format(Locale.ROOT, rowFmt, c.id(), c.name(), c.present() ? pct(c.iou()) : "absent",
                    pct(c.precision()), pct(c.recall()), c.groundTruthPixels(), c.predictedPixels()));
        }
        sb.append(String.format(Locale.ROOT, "pixel accuracy: %s%n", pct(m.pixelAccuracy())));
        sb.append(String.format(Locale.ROOT, "mean precision: %s, mean recall: %s%n", pct(m.meanPrecision()),
                pct(m.meanRecall())));
        if (m.unlabeledPredictions() > 0) {
            sb.append(String.format(Locale.ROOT, "predicted 255 (no label): %d pixels, counted as %s%n",
                    m.unlabeledPredictions(), r.config().unlabeledPredAs() == UnlabeledPrediction.NONE ? "no class"
                            : "background"));
        }
        if (!m.absentClasses().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "absent from ground truth and prediction, left out of the mean (%d): %s%n",
                    m.absentClasses().size(), String.join(", ", m.absentClasses())));
        }
        if (r.skipped() > 0) {
            sb.append(String.format(Locale.ROOT, "skipped %d predictions without a ground-truth mask%n", r.skipped()));
        }
        if (!r.failures().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "FAILED %d images (left out of the counts), first: %s: %s%n",
                    r.failures().size(), r.failures().get(0).id(), r.failures().get(0).reason()));
        }
        sb.append(String.format(Locale.ROOT, "mIoU over %d classes%s%n", m.classesInMean(),
                r.sweep().isPresent() ? String.format(Locale.ROOT, " at background threshold %.2f",
                        r.sweep().get().best().threshold()) : ""));
        sb.append(miouLine(m.meanIou())).append(System.lineSeparator());
        return sb.toString();
    }

    /** The exact contract line: {@code mIoU: 61.03} ({@code mIoU: nan} when no pixel was evaluated). */
    public static String miouLine(double meanIou) {
        return "mIoU: " + (Double.isNaN(meanIou) ? "nan" : pct(meanIou));
    }
}
