package dev.psa.api.spi;

/**
 * How the trainer treats a network parameter (REFERENCE.md §Stage 1 learning-rate multipliers:
 * backbone weights 1×, backbone biases 2×, new-layer weights 10×, new-layer biases 20×; weight
 * decay on weights only; frozen parameters are never updated).
 */
public enum ParamRole {
    FROZEN(0, false),
    WEIGHT(1, true),
    BIAS(2, false),
    NEW_WEIGHT(10, true),
    NEW_BIAS(20, false);

    private final double lrMultiplier;
    private final boolean decayed;

    ParamRole(double lrMultiplier, boolean decayed) {
        this.lrMultiplier = lrMultiplier;
        this.decayed = decayed;
    }

    /** The reference learning-rate multiplier. */
    public double lrMultiplier() {
        return lrMultiplier;
    }

    /** Whether weight decay applies. */
    public boolean decayed() {
        return decayed;
    }
}
