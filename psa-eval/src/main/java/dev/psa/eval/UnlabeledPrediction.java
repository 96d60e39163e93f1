package dev.psa.eval;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a predicted 255 ("no label") counts as, key {@code eval.unlabeled-pred-as}
 * (REFERENCE.md §Evaluation).
 */
public enum UnlabeledPrediction {
    /** Counts for no class: a false negative of the true class, no false positive (SEAM's evaluator; default). */
    NONE("none"),
    /** Counts as background, as IRN's evaluator does. */
    BACKGROUND("background");

    private final String key;

    UnlabeledPrediction(String key) {
        this.key = key;
    }

    /** The config / command-line spelling: {@code none} or {@code background}. */
    public String key() {
        return key;
    }

    /**
     * @param text {@code none} or {@code background} (case-insensitive)
     * @throws IllegalArgumentException naming the value and the allowed ones
     */
    public static UnlabeledPrediction parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (UnlabeledPrediction u : values()) {
            if (u.key.equals(t)) {
                return u;
            }
        }
        throw new IllegalArgumentException("unknown value '" + text + "' for what a predicted 255 counts as; allowed: "
                + Arrays.stream(values()).map(UnlabeledPrediction::key).toList());
    }
}
