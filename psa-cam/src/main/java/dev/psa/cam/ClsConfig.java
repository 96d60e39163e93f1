package dev.psa.cam;

import static java.util.Objects.requireNonNull;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;

/**
 * Settings of the classifier training (stage 1, {@code psa train-cls}), config prefix {@code cls.}.
 * Every value of REFERENCE.md §Stage 1 is a key with the reference default.
 *
 * @param crop            side of the square training crop in pixels (key {@code crop}, 448)
 * @param batchSize       images per SGD step ({@code batch-size}, 16)
 * @param epochs          passes over the training split ({@code epochs}, 15)
 * @param lr              base learning rate of the poly schedule ({@code lr}, 0.1)
 * @param weightDecay     L2 weight decay, weights only ({@code weight-decay}, 5e-4)
 * @param momentum        SGD momentum ({@code momentum}, 0.9). The reference optimizer passes the
 *                        weight decay into SGD's momentum slot, so its effective momentum is ~0;
 *                        set 0 to mimic the reference code exactly
 * @param polyPower       exponent of lr·(1 − step/maxStep)^p ({@code poly-power}, 0.9)
 * @param dropout         probability of dropping a feature channel before the 1×1 classifier
 *                        conv ({@code dropout}, 0.5; channel-wise as the reference's Dropout2d)
 * @param resizeMin       smallest random long side in pixels ({@code resize-min}, 256)
 * @param resizeMax       largest random long side in pixels ({@code resize-max}, 512)
 * @param flip            random horizontal flip ({@code flip}, true)
 * @param brightness      colour jitter brightness ({@code jitter-brightness}, 0.3)
 * @param contrast        colour jitter contrast ({@code jitter-contrast}, 0.3)
 * @param saturation      colour jitter saturation ({@code jitter-saturation}, 0.3)
 * @param hue             colour jitter hue ({@code jitter-hue}, 0.1)
 * @param checkpointEvery steps between checkpoints, besides one at each epoch end
 *                        ({@code checkpoint-every}, 500)
 * @param seed            seed of initialisation, sample order, augmentation, dropout ({@code seed}, 1)
 * @param valSplit        split validated after each epoch (loss + mAP of the image labels) when
 *                        the dataset has it ({@code val-split}, "val"; empty = no validation)
 * @param valMaxImages    at most this many validation images, the first of the split
 *                        ({@code val-max-images}, 0 = all)
 */
public record ClsConfig(int crop, int batchSize, int epochs, double lr, double weightDecay, double momentum,
                        double polyPower, double dropout, int resizeMin, int resizeMax, boolean flip,
                        double brightness, double contrast, double saturation, double hue,
                        int checkpointEvery, long seed, String valSplit, int valMaxImages) {
    /** The config prefix. */
    public static final String PREFIX = "cls.";

    public ClsConfig {
        requireNonNull(valSplit, "valSplit is null");
        Validator v = new Validator(PREFIX);
        v.positive(crop, "crop");
        v.positive(batchSize, "batch-size");
        v.positive(epochs, "epochs");
        v.positive(lr, "lr");
        v.nonNegative(weightDecay, "weight-decay");
        v.check(momentum >= 0 && momentum < 1, "momentum", "must be in [0, 1), got " + momentum);
        v.nonNegative(polyPower, "poly-power");
        v.check(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), got " + dropout);
        v.positive(resizeMin, "resize-min");
        v.check(resizeMax >= resizeMin, "resize-max", "must be >= resize-min (" + resizeMin + "), got " + resizeMax);
        v.inRange(brightness, 0, 1, "jitter-brightness");
        v.inRange(contrast, 0, 1, "jitter-contrast");
        v.inRange(saturation, 0, 1, "jitter-saturation");
        v.inRange(hue, 0, 0.5, "jitter-hue");
        v.positive(checkpointEvery, "checkpoint-every");
        v.nonNegative(valMaxImages, "val-max-images");
        v.throwIfAny();
    }

    /** Reads every key (relative to {@code cls.}) with its REFERENCE.md default. */
    public static ClsConfig from(ComponentConfig c) {
        requireNonNull(c, "c is null");
        return new ClsConfig(
                c.getInt("crop", 448),
                c.getInt("batch-size", 16),
                c.getInt("epochs", 15),
                c.getDouble("lr", 0.1),
                c.getDouble("weight-decay", 5e-4),
                c.getDouble("momentum", 0.9),
                c.getDouble("poly-power", 0.9),
                c.getDouble("dropout", 0.5),
                c.getInt("resize-min", 256),
                c.getInt("resize-max", 512),
                c.getBoolean("flip", true),
                c.getDouble("jitter-brightness", 0.3),
                c.getDouble("jitter-contrast", 0.3),
                c.getDouble("jitter-saturation", 0.3),
                c.getDouble("jitter-hue", 0.1),
                c.getInt("checkpoint-every", 500),
                c.getLong("seed", 1),
                c.getString("val-split", "val"),
                c.getInt("val-max-images", 0));
    }

    /** The reference defaults. */
    public static ClsConfig defaults() {
        return from(ComponentConfig.empty());
    }
}
