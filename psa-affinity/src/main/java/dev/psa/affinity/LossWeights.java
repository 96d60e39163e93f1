package dev.psa.affinity;

import dev.psa.api.config.Validator;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.PairClass;

/**
 * How the three pair subsets combine into the affinity loss (REFERENCE.md §Stage 3):
 * {@code L = bg·mean(L_bg+) + fg·mean(L_fg+) + neg·mean(L_neg)}; the reference is ¼, ¼, ½.
 *
 * @param bgPositive weight of the bg-positive mean
 * @param fgPositive weight of the fg-positive mean
 * @param negative   weight of the negative mean
 */
public record LossWeights(double bgPositive, double fgPositive, double negative) {
    /** ¼, ¼, ½. */
    public static final LossWeights REFERENCE = new LossWeights(0.25, 0.25, 0.5);

    public LossWeights {
        Validator v = new Validator(AffConfig.PREFIX);
        v.nonNegative(bgPositive, "loss-weight-bg");
        v.nonNegative(fgPositive, "loss-weight-fg");
        v.nonNegative(negative, "loss-weight-neg");
        v.throwIfAny();
    }

    /** The weight of a {@link dev.psa.api.spi.PairClass} code (0 for IGNORE). */
    public double of(int pairClass) {
        return switch (pairClass) {
            case PairClass.BG_POSITIVE -> bgPositive;
            case PairClass.FG_POSITIVE -> fgPositive;
            case PairClass.NEGATIVE -> negative;
            default -> 0;
        };
    }

    /** Reads {@code loss-weight-bg}, {@code loss-weight-fg}, {@code loss-weight-neg} from an {@code aff.} view. */
    public static LossWeights from(ComponentConfig c) {
        return new LossWeights(c.getDouble("loss-weight-bg", 0.25), c.getDouble("loss-weight-fg", 0.25),
                c.getDouble("loss-weight-neg", 0.5));
    }
}
