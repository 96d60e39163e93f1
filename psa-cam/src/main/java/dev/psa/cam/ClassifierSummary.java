package dev.psa.cam;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a classifier training did.
 *
 * @param trainImages images of the training split
 * @param valImages   images validated after each epoch (0 = no validation)
 * @param steps       SGD steps of the whole run (including steps before a resume)
 * @param stepLosses  the loss of every step
 * @param epochs      per epoch: {@code loss} (mean training loss) and, with validation,
 *                    {@code val_loss} and {@code val_map}; only epochs run by this call
 * @param model       the written {@code cls/model.npz}
 * @param seconds     wall-clock time of this call
 */
public record ClassifierSummary(int trainImages, int valImages, long steps, List<Double> stepLosses,
                                List<Map<String, Double>> epochs, Path model, double seconds) {
    public ClassifierSummary {
        stepLosses = List.copyOf(stepLosses);
        epochs = List.copyOf(epochs);
        requireNonNull(model, "model is null");
    }

    /** The metrics of the last epoch run (empty when none ran, e.g. resuming a finished run). */
    public Map<String, Double> last() {
        return epochs.isEmpty() ? Map.of() : epochs.get(epochs.size() - 1);
    }

    /** The summary as a JSON-ready map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train_images", trainImages);
        m.put("val_images", valImages);
        m.put("steps", steps);
        m.putAll(last());
        m.put("seconds", seconds);
        return m;
    }

    /** One line for the command line, e.g. {@code train-cls: 400 images, 125 steps, loss 0.693 → 0.120, val mAP 0.981, 95.2 s}. */
    public String line() {
        int n = stepLosses.size();
        int k = Math.max(1, Math.min(10, n / 10));
        String loss = n == 0 ? "no steps"
                : String.format(Locale.ROOT, "loss %.3f → %.3f", mean(0, k), mean(n - k, n));
        Double map = last().get("val_map");
        return String.format(Locale.ROOT, "%s: %d images, %d steps, %s%s, %.1f s → %s", ClassifierStage.STAGE,
                trainImages, steps, loss, map == null ? "" : String.format(Locale.ROOT, ", val mAP %.3f", map),
                seconds, model);
    }

    private double mean(int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += stepLosses.get(i);
        }
        return s / (to - from);
    }
}
