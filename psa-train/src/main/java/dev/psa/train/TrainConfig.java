package dev.psa.train;

import java.util.LinkedHashMap;
import java.util.Map;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;
import java.util.Objects;

/**
 * Hyperparameters of one training run; the stage config records ({@code cls.}, {@code aff.})
 * convert into it. SGD with poly decay {@code lr·(1 − step/maxStep)^polyPower}, per-role
 * learning-rate multipliers, weight decay on decayed roles only, PyTorch-style momentum
 * (REFERENCE.md §Stage 1 and §Stage 3).
 *
 * @param epochs          passes over the training samples, ≥ 1
 * @param batchSize       samples per step, ≥ 1 (the last batch of an epoch may be smaller)
 * @param lr              base learning rate, &gt; 0
 * @param weightDecay     L2 weight decay for roles with {@code decayed() = true}, ≥ 0
 * @param momentum        SGD momentum in [0, 1) (0 = plain SGD)
 * @param polyPower       exponent of the poly schedule, ≥ 0 (0 = constant learning rate)
 * @param checkpointEvery write a checkpoint every this many steps, ≥ 1 (and always at each epoch end)
 * @param seed            seed of the sample order, the per-step augmentation rng and dropout
 */
public record TrainConfig(int epochs, int batchSize, double lr, double weightDecay, double momentum,
                          double polyPower, int checkpointEvery, long seed) {

    public TrainConfig {
        Validator v = new Validator("");
        check(v, false, epochs, batchSize, lr, weightDecay, momentum, polyPower, checkpointEvery);
        v.throwIfAny();
    }

    /**
     * Reads the training keys of a stage section, e.g. {@code cls.} or {@code aff.}: {@code epochs},
     * {@code batch-size}, {@code lr}, {@code weight-decay}, {@code momentum}, {@code poly-power},
     * {@code checkpoint-every}, {@code seed}, each defaulting to the value in {@code defaults}
     * (the stage's REFERENCE.md values). Problems name the full keys, all together.
     *
     * @param c        config scoped to the stage prefix
     * @param defaults the stage's defaults
     * @throws dev.psa.api.config.ConfigException listing every invalid key
     */
    public static TrainConfig from(ComponentConfig c, TrainConfig defaults) {
        Objects.requireNonNull(c, "c is null");
        Objects.requireNonNull(defaults, "defaults is null");
        int epochs = c.getInt("epochs", defaults.epochs());
        int batchSize = c.getInt("batch-size", defaults.batchSize());
        double lr = c.getDouble("lr", defaults.lr());
        double weightDecay = c.getDouble("weight-decay", defaults.weightDecay());
        double momentum = c.getDouble("momentum", defaults.momentum());
        double polyPower = c.getDouble("poly-power", defaults.polyPower());
        int checkpointEvery = c.getInt("checkpoint-every", defaults.checkpointEvery());
        long seed = c.getLong("seed", defaults.seed());
        Validator v = new Validator(c.prefix());
        check(v, true, epochs, batchSize, lr, weightDecay, momentum, polyPower, checkpointEvery);
        v.throwIfAny();
        return new TrainConfig(epochs, batchSize, lr, weightDecay, momentum, polyPower, checkpointEvery, seed);
    }

    private static void check(Validator v, boolean keys, int epochs, int batchSize, double lr, double weightDecay,
                              double momentum, double polyPower, int checkpointEvery) {
        v.check(epochs >= 1, "epochs", "must be >= 1, got " + epochs);
        v.check(batchSize >= 1, keys ? "batch-size" : "batchSize", "must be >= 1, got " + batchSize);
        v.check(lr > 0 && Double.isFinite(lr), "lr", "must be a finite number > 0, got " + lr);
        v.check(weightDecay >= 0 && Double.isFinite(weightDecay), keys ? "weight-decay" : "weightDecay",
                "must be a finite number >= 0, got " + weightDecay);
        v.check(momentum >= 0 && momentum < 1, "momentum", "must be in [0, 1), got " + momentum);
        v.check(polyPower >= 0 && Double.isFinite(polyPower), keys ? "poly-power" : "polyPower",
                "must be a finite number >= 0, got " + polyPower);
        v.check(checkpointEvery >= 1, keys ? "checkpoint-every" : "checkpointEvery",
                "must be >= 1, got " + checkpointEvery);
    }

    /**
     * The classifier defaults of REFERENCE.md §Stage 1 (ResNet-38): 15 epochs, batch 16, lr 0.1,
     * weight decay 5e-4, momentum 0.9, poly power 0.9; checkpoint every 500 steps, seed 0.
     */
    public static TrainConfig defaults() {
        return new TrainConfig(15, 16, 0.1, 5e-4, 0.9, 0.9, 500, 0);
    }

    /** Number of steps of one epoch over {@code numSamples} samples: {@code ceil(n / batchSize)}. */
    public long stepsPerEpoch(int numSamples) {
        return (numSamples + (long) batchSize - 1) / batchSize;
    }

    /** {@code maxStep = epochs · ceil(n / batchSize)}. */
    public long maxSteps(int numSamples) {
        return epochs * stepsPerEpoch(numSamples);
    }

    /** The fields by name, in declaration order (for state.json and metrics.json). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", epochs);
        m.put("batchSize", batchSize);
        m.put("lr", lr);
        m.put("weightDecay", weightDecay);
        m.put("momentum", momentum);
        m.put("polyPower", polyPower);
        m.put("checkpointEvery", checkpointEvery);
        m.put("seed", seed);
        return m;
    }
}
