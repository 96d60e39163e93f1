package dev.psa.seg;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;
import dev.psa.crf.CrfConfig;
import dev.psa.data.augment.AugmentConfig;
import dev.psa.train.TrainConfig;

/**
 * Settings of stage 5, the segmentation network (REFERENCE.md §Stage 5), config prefix {@code seg.}.
 * {@code seg.enabled} (true) switches both stages off where no network is wanted (they then do nothing).
 * {@code seg.head} (which head) belongs to component discovery, not to this record; a head reads its
 * own keys under {@code seg.<head>.}.
 *
 * <p>Training ({@code train-seg}): {@code seg.labels} ({@code rw} | {@code seeds} | {@code gt}, default
 * {@code rw}), {@code seg.init} ({@code imagenet}: {@code backbone.weights} when set, else random;
 * {@code classifier}: the trained classifier's backbone, {@code cls/model.npz} or {@code cls.weights};
 * default {@code imagenet}), the trainer's keys ({@code seg.epochs} 12, {@code seg.batch-size} 10,
 * {@code seg.lr} 0.001, {@code seg.weight-decay} 5e-4, {@code seg.momentum} 0.9,
 * {@code seg.poly-power} 0.9, {@code seg.checkpoint-every} 500, {@code seg.seed} 0 — DeepLab-LargeFOV's
 * SGD recipe: base lr 1e-3 with 10× on the new layers, ≈ 6,000 iterations of 20 images on train_aug),
 * {@code seg.optimizer} ({@code sgd} | {@code adam}, default {@code sgd}; the reference trained its
 * ResNet-38 network with Adam, REFERENCE.md §Stage 5, which the psa-resnet38-voc preset selects) with
 * {@code seg.adam-beta1} 0.9, {@code seg.adam-beta2} 0.999, {@code seg.adam-eps} 1e-8 (Adam's usual
 * values; the same poly schedule, 10×/20× head multipliers and L2 weight decay on weights as SGD)
 * and the augmentation ({@code seg.crop} 321, random long side {@code seg.resize-min} 250 ..
 * {@code seg.resize-max} 750, i.e. scale 0.5–1.5 of a 500 px VOC image, {@code seg.flip} true,
 * {@code seg.jitter-*} 0).
 *
 * <p>Inference ({@code seg}): {@code seg.split} (the split segmented and evaluated, {@code val}),
 * {@code seg.scales} (1.0, 0.5, 1.5), {@code seg.test-flip} (true), {@code seg.crf} (dense CRF on the averaged probabilities, true as in the
 * paper's evaluation) with {@code seg.crf-*} parameters defaulting to DeepLab-LargeFOV's published
 * VOC 2012 values (Chen et al., ICLR 2015, and the released {@code test.prototxt}: 10 iterations,
 * {@code pos_xy_std} 3, {@code pos_w} 3, {@code bi_xy_std} 121, {@code bi_rgb_std} 5, {@code bi_w} 4).
 */
public record SegConfig(boolean enabled, String labels, String init, TrainConfig train, AugmentConfig augment, String split,
                        double[] scales, boolean testFlip, boolean crf, CrfConfig crfConfig) {
    /** The config prefix. */
    public static final String PREFIX = "seg.";

    /** The keys that decide what {@code train-seg} trains (its fingerprint); the head's own keys included. */
    public static final List<String> TRAIN_KEYS = List.of("seg.enabled", "seg.head", "seg.labels", "seg.init", "seg.epochs",
            "seg.batch-size", "seg.lr", "seg.weight-decay", "seg.momentum", "seg.optimizer", "seg.adam-", "seg.poly-power",
            "seg.checkpoint-every",
            "seg.seed", "seg.crop", "seg.resize-", "seg.flip", "seg.jitter-", "seg.largefov.", "seg.aspp.");

    /** The keys that decide what the {@code seg} stage predicts from a trained network. */
    public static final List<String> INFER_KEYS = List.of("seg.enabled", "seg.split", "seg.scales", "seg.test-", "seg.crf");

    /** The label sources of {@code seg.labels}. */
    public static final List<String> LABELS = List.of("rw", "seeds", "gt");

    /** The initialisations of {@code seg.init}. */
    public static final List<String> INITS = List.of("imagenet", "classifier");

    public SegConfig {
        requireNonNull(labels, "labels is null");
        requireNonNull(init, "init is null");
        requireNonNull(train, "train is null");
        requireNonNull(augment, "augment is null");
        requireNonNull(split, "split is null");
        requireNonNull(crfConfig, "crfConfig is null");
        scales = scales.clone();
        Validator v = new Validator(PREFIX);
        v.check(LABELS.contains(labels), "labels", "must be one of " + LABELS + ", got '" + labels + "'");
        v.check(INITS.contains(init), "init", "must be one of " + INITS + ", got '" + init + "'");
        v.check(!split.isBlank(), "split", "must name a split of the dataset (e.g. val)");
        v.check(scales.length > 0 && Arrays.stream(scales).allMatch(s -> s > 0 && Double.isFinite(s)), "scales",
                "must be one or more numbers > 0, got " + Arrays.toString(scales));
        v.check(augment.crop() >= 8, "crop",
                "must be >= 8 pixels, got " + augment.crop());
        v.throwIfAny();
    }

    /** The trainer defaults (DeepLab-LargeFOV's SGD recipe, see the class comment). */
    public static TrainConfig trainDefaults() {
        return new TrainConfig(12, 10, 0.001, 5e-4, 0.9, 0.9, 500, 0);
    }

    /** DeepLab-LargeFOV's published dense CRF for VOC 2012 (see the class comment). */
    public static CrfConfig deeplabCrf() {
        return new CrfConfig(10, 3, 3, 121, 5, 4, 0.7);
    }

    /**
     * Reads every {@code seg.} key but {@code seg.head} and the head's own keys.
     *
     * @param c the view scoped to {@code seg.}
     * @throws dev.psa.api.config.ConfigException listing every invalid value
     */
    public static SegConfig from(ComponentConfig c) {
        requireNonNull(c, "c is null");
        boolean enabled = c.getBoolean("enabled", true);
        String labels = c.getString("labels", "rw");
        String init = c.getString("init", "imagenet");
        TrainConfig train = TrainConfig.from(c, trainDefaults());
        AugmentConfig augment = new AugmentConfig(true, c.getInt("resize-min", 250), c.getInt("resize-max", 750),
                c.getBoolean("flip", true), c.getDouble("jitter-brightness", 0), c.getDouble("jitter-contrast", 0),
                c.getDouble("jitter-saturation", 0), c.getDouble("jitter-hue", 0), c.getInt("crop", 321));
        String split = c.getString("split", "val");
        double[] scales = c.getDoubles("scales", 1.0, 0.5, 1.5);
        boolean testFlip = c.getBoolean("test-flip", true);
        boolean crf = c.getBoolean("crf", true);
        CrfConfig d = deeplabCrf();
        CrfConfig crfConfig = new CrfConfig(c.getInt("crf-iterations", d.iterations()),
                c.getDouble("crf-gaussian-sxy", d.gaussianSxy()), c.getDouble("crf-gaussian-compat", d.gaussianCompat()),
                c.getDouble("crf-bilateral-sxy", d.bilateralSxy()), c.getDouble("crf-bilateral-srgb", d.bilateralSrgb()),
                c.getDouble("crf-bilateral-compat", d.bilateralCompat()), d.gtProb());
        return new SegConfig(enabled, labels, init, train, augment, split, scales, testFlip, crf, crfConfig);
    }

    /** The same with the dense CRF switched on or off ({@code psa predict --crf}). */
    public SegConfig withCrf(boolean on) {
        return new SegConfig(enabled, labels, init, train, augment, split, scales, testFlip, on, crfConfig);
    }

    @Override
    public double[] scales() {
        return scales.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegConfig s && enabled == s.enabled && labels.equals(s.labels) && init.equals(s.init) && train.equals(s.train)
                && augment.equals(s.augment) && split.equals(s.split) && Arrays.equals(scales, s.scales)
                && testFlip == s.testFlip && crf == s.crf
                && crfConfig.equals(s.crfConfig);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(scales) * 31 + labels.hashCode();
    }

    @Override
    public String toString() {
        return "SegConfig[enabled=" + enabled + ", labels=" + labels + ", init=" + init + ", train=" + train + ", augment=" + augment
                + ", split=" + split + ", scales=" + Arrays.toString(scales) + ", testFlip=" + testFlip
                + ", crf=" + crf + ", crfConfig=" + crfConfig + "]";
    }
}
