package dev.psa.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;
import java.util.Objects;

/**
 * Hyperparameters of one training run; the stage config records ({@code cls.}, {@code aff.})
 * convert into it. SGD with poly decay {@code lr·(1 − step/maxStep)^polyPower}, per-role
 * learning-rate multipliers, weight decay on decayed roles only, PyTorch-style momentum
 * (REFERENCE.md §Stage 1 and §Stage 3); or Adam ({@code optimizer = "adam"}, REFERENCE.md §Stage 5:
 * the reference's ResNet-38 segmentation network) with the same schedule, multipliers and decay.
 *
 * @param epochs          passes over the training samples, ≥ 1
 * @param batchSize       samples per step, ≥ 1 (the last batch of an epoch may be smaller)
 * @param lr              base learning rate, &gt; 0
 * @param weightDecay     L2 weight decay for roles with {@code decayed() = true}, ≥ 0
 * @param momentum        SGD momentum in [0, 1) (0 = plain SGD)
 * @param polyPower       exponent of the poly schedule, ≥ 0 (0 = constant learning rate)
 * @param checkpointEvery write a checkpoint every this many steps, ≥ 1 (and always at each epoch end)
 * @param seed            seed of the sample order, the per-step augmentation rng and dropout
 * @param optimizer       {@code sgd} or {@code adam} ({@link #OPTIMIZERS})
 * @param beta1           Adam's first-moment decay in [0, 1) (unused by SGD)
 * @param beta2           Adam's second-moment decay in [0, 1) (unused by SGD)
 * @param eps             Adam's epsilon, &gt; 0 (unused by SGD)
 */
public record TrainConfig(int epochs, int batchSize, double lr, double weightDecay, double momentum,
                          double polyPower, int checkpointEvery, long seed, String optimizer, double beta1,
                          double beta2, double eps) {
    /** The optimizers of {@link #optimizer()}. */
    public static final List<String> OPTIMIZERS = List.of("sgd", "adam");
    /** Adam's usual defaults (Kingma &amp; Ba 2015; PyTorch's and ND4J's): beta1 0.9, beta2 0.999, eps 1e-8. */
    public static final double ADAM_BETA1 = 0.9;
    public static final double ADAM_BETA2 = 0.999;
    public static final double ADAM_EPS = 1e-8;

    public TrainConfig {
        Objects.requireNonNull(optimizer, "optimizer is null");
        Validator v = new Validator("");
        check(v, false, epochs, batchSize, lr, weightDecay, momentum, polyPower, checkpointEvery);
        checkOptimizer(v, false, optimizer, beta1, beta2, eps);
        v.throwIfAny();
    }

    /** SGD with momentum (Adam's fields at their defaults, unused). */
    public TrainConfig(int epochs, int batchSize, double lr, double weightDecay, double momentum,
                       double polyPower, int checkpointEvery, long seed) {
        this(epochs, batchSize, lr, weightDecay, momentum, polyPower, checkpointEvery, seed, "sgd", ADAM_BETA1,
                ADAM_BETA2, ADAM_EPS);
    }

    /** The same settings with Adam ({@code beta1}, {@code beta2}, {@code eps}) instead of SGD. */
    public TrainConfig withAdam(double beta1, double beta2, double eps) {
        return new TrainConfig(epochs, batchSize, lr, weightDecay, momentum, polyPower, checkpointEvery, seed, "adam",
                beta1, beta2, eps);
    }

    /** True for {@code optimizer = adam}. */
    public boolean adam() {
        return optimizer.equals("adam");
    }

    /**
     * Reads the training keys of a stage section, e.g. {@code cls.} or {@code aff.}: {@code epochs},
     * {@code batch-size}, {@code lr}, {@code weight-decay}, {@code momentum}, {@code poly-power},
     * {@code checkpoint-every}, {@code seed}, {@code optimizer} ({@code sgd} | {@code adam}),
     * {@code adam-beta1}, {@code adam-beta2}, {@code adam-eps}, each defaulting to the value in {@code defaults}
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
        String optimizer = c.getString("optimizer", defaults.optimizer());
        double beta1 = c.getDouble("adam-beta1", defaults.beta1());
        double beta2 = c.getDouble("adam-beta2", defaults.beta2());
        double eps = c.getDouble("adam-eps", defaults.eps());
        Validator v = new Validator(c.prefix());
        check(v, true, epochs, batchSize, lr, weightDecay, momentum, polyPower, checkpointEvery);
        checkOptimizer(v, true, optimizer, beta1, beta2, eps);
        v.throwIfAny();
        return new TrainConfig(epochs, batchSize, lr, weightDecay, momentum, polyPower, checkpointEvery, seed,
                optimizer, beta1, beta2, eps);
    }

    private static void checkOptimizer(Validator v, boolean keys, String optimizer, double beta1, double beta2,
                                       double eps) {
        v.check(OPTIMIZERS.contains(optimizer), "optimizer", "must be one of " + OPTIMIZERS + ", got '" + optimizer + "'");
        v.check(beta1 >= 0 && beta1 < 1, keys ? "adam-beta1" : "beta1", "must be in [0, 1), got " + beta1);
        v.check(beta2 >= 0 && beta2 < 1, keys ? "adam-beta2" : "beta2", "must be in [0, 1), got " + beta2);
        v.check(eps > 0 && Double.isFinite(eps), keys ? "adam-eps" : "eps", "must be a finite number > 0, got " + eps);
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

    /**
     * The fields by name, in declaration order (for state.json and metrics.json); Adam's three only with
     * {@code optimizer = adam}, so an SGD map is the one written before Adam existed plus {@code optimizer}.
     */
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
        m.put("optimizer", optimizer);
        if (adam()) {
            m.put("beta1", beta1);
            m.put("beta2", beta2);
            m.put("eps", eps);
        }
        return m;
    }
}
