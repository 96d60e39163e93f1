package dev.psa.eval;

import static java.util.Objects.requireNonNull;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.api.config.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of evaluation (prefix {@code eval.}); REFERENCE.md §Evaluation.
 *
 * @param unlabeledPredAs what a predicted 255 counts as: {@code none} (SEAM, default) or
 *                        {@code background} (IRN); key {@code unlabeled-pred-as}
 * @param thresholdMin    lowest constant background score of the CAM sweep, key {@code threshold-min} (0.00)
 * @param thresholdMax    highest, key {@code threshold-max} (0.60)
 * @param thresholdStep   step, key {@code threshold-step} (0.01)
 * @param threads         worker threads; 0 = one per available processor; key {@code threads} (0)
 * @param maskDir         folder of ground-truth masks under a VOC-layout root, key {@code mask-dir}
 *                        ({@code SegmentationClass})
 * @param failFast        stop at the first unreadable / missing image instead of recording it and
 *                        going on, key {@code fail-fast} (false)
 */
public record EvalConfig(UnlabeledPrediction unlabeledPredAs, double thresholdMin, double thresholdMax,
                         double thresholdStep, int threads, String maskDir, boolean failFast) {
    public static final String PREFIX = "eval.";

    public EvalConfig {
        requireNonNull(unlabeledPredAs, "unlabeledPredAs is null");
        requireNonNull(maskDir, "maskDir is null");
        Validator v = new Validator(PREFIX);
        v.nonNegative(thresholdMin, "threshold-min");
        v.check(thresholdMax >= thresholdMin, "threshold-max", "must be >= threshold-min (" + thresholdMin + "), got "
                + thresholdMax);
        v.positive(thresholdStep, "threshold-step");
        v.check(thresholdStep <= 0 || (thresholdMax - thresholdMin) / thresholdStep <= 100_000, "threshold-step",
                "gives more than 100000 thresholds between " + thresholdMin + " and " + thresholdMax);
        v.check(threads >= 0 && threads <= 1024, "threads", "must be in [0, 1024] (0 = one per processor), got "
                + threads);
        v.check(!maskDir.isBlank() && !maskDir.contains(".."), "mask-dir",
                "must be a folder name under the dataset root, got '" + maskDir + "'");
        v.throwIfAny();
    }

    /** @param c a view scoped to {@code eval.} */
    public static EvalConfig from(ComponentConfig c) {
        requireNonNull(c, "c is null");
        List<String> problems = new ArrayList<>();
        String unlabeled = c.getString("unlabeled-pred-as", UnlabeledPrediction.NONE.key());
        UnlabeledPrediction rule = UnlabeledPrediction.NONE;
        try {
            rule = UnlabeledPrediction.parse(unlabeled);
        } catch (IllegalArgumentException e) {
            problems.add(PREFIX + "unlabeled-pred-as: got '" + unlabeled + "', allowed: [none, background]");
        }
        double min = c.getDouble("threshold-min", 0.0);
        double max = c.getDouble("threshold-max", 0.60);
        double step = c.getDouble("threshold-step", 0.01);
        int threads = c.getInt("threads", 0);
        String maskDir = c.getString("mask-dir", "SegmentationClass");
        boolean failFast = c.getBoolean("fail-fast", false);
        try {
            EvalConfig cfg = new EvalConfig(rule, min, max, step, threads, maskDir, failFast);
            if (problems.isEmpty()) {
                return cfg;
            }
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        throw new ConfigException(problems);
    }

    /** The reference defaults. */
    public static EvalConfig defaults() {
        return new EvalConfig(UnlabeledPrediction.NONE, 0.0, 0.60, 0.01, 0, "SegmentationClass", false);
    }

    /** A copy with another unlabeled-prediction rule. */
    public EvalConfig withUnlabeledPredAs(UnlabeledPrediction rule) {
        return new EvalConfig(rule, thresholdMin, thresholdMax, thresholdStep, threads, maskDir, failFast);
    }

    /** The CAM sweep's thresholds. */
    public double[] thresholds() {
        return CamThresholdSweep.range(thresholdMin, thresholdMax, thresholdStep);
    }

    /** Worker threads in effect (resolves 0). */
    public int effectiveThreads() {
        return threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Every key (with prefix) and its value, for provenance and the results store. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "unlabeled-pred-as", unlabeledPredAs.key());
        m.put(PREFIX + "threshold-min", Double.toString(thresholdMin));
        m.put(PREFIX + "threshold-max", Double.toString(thresholdMax));
        m.put(PREFIX + "threshold-step", Double.toString(thresholdStep));
        m.put(PREFIX + "threads", Integer.toString(threads));
        m.put(PREFIX + "mask-dir", maskDir);
        m.put(PREFIX + "fail-fast", Boolean.toString(failFast));
        return m;
    }
}
