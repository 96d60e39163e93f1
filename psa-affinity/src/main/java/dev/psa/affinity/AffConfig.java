package dev.psa.affinity;

import dev.psa.train.Initializer;
import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;
import dev.psa.api.AffinityStencil;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of stage 3, AffinityNet (REFERENCE.md §Stage 3), config prefix {@code aff.}. Every
 * reference value is a key with the reference default.
 *
 * @param radius           γ, pairs with 0 &lt; ‖i − j‖ &lt; γ at stride 8 ({@code aff.radius}, 5)
 * @param crop             random crop side in pixels, a multiple of 8 ({@code aff.crop}, 448)
 * @param batchSize        images per step ({@code aff.batch-size}, 8)
 * @param epochs           passes over the split ({@code aff.epochs}, 8)
 * @param lr               base learning rate of the poly schedule ({@code aff.lr}, 0.1)
 * @param weightDecay      L2 on weights ({@code aff.weight-decay}, 5e-4)
 * @param momentum         SGD momentum ({@code aff.momentum}, 0.9; the reference code's effective
 *                         momentum is ~0, see REFERENCE.md §Stage 1)
 * @param polyPower        lr = lr0·(1 − step/maxStep)^power ({@code aff.poly-power}, 0.9)
 * @param checkpointEvery  steps between checkpoints ({@code aff.checkpoint-every}, 500)
 * @param seed             seed of initialisation, sample order, augmentation and samplers
 *                         ({@code aff.seed}, 0)
 * @param weightBgPositive loss weight of the bg-positive mean ({@code aff.loss-weight-bg}, ¼)
 * @param weightFgPositive loss weight of the fg-positive mean ({@code aff.loss-weight-fg}, ¼)
 * @param weightNegative   loss weight of the negative mean ({@code aff.loss-weight-neg}, ½)
 * @param eps              ε in −log(W + ε) and −log(1 + ε − W) ({@code aff.eps}, 1e-5)
 * @param stratifiedPairs  pairs drawn per subset and batch by the {@code stratified} sampler
 *                         ({@code aff.stratified-pairs}, 4096)
 * @param headChannels     output channels of the three tap convs ({@code aff.head-channels},
 *                         64,128,256; their sum is the feature width, 448)
 * @param jitterBrightness colour jitter ({@code aff.jitter-brightness}, 0.3)
 * @param jitterContrast   colour jitter ({@code aff.jitter-contrast}, 0.3)
 * @param jitterSaturation colour jitter ({@code aff.jitter-saturation}, 0.3)
 * @param jitterHue        colour jitter ({@code aff.jitter-hue}, 0.1)
 * @param flip             random horizontal flip ({@code aff.flip}, true)
 * @param labels           where the training labels come from: {@code seeds} (run folder
 *                         {@code seeds/<id>.png}) or {@code gt} (the dataset's true masks, for
 *                         ablations and tests) ({@code aff.labels}, {@code seeds})
 * @param labelMinFraction a stride-8 cell takes its 8×8 block's most frequent label only when
 *                         that label covers at least this fraction of the block's pixels,
 *                         otherwise 255 ({@code aff.label-min-fraction}, 0 = plain plurality,
 *                         the uint8 analogue of the reference's avg-pool + argmax)
 *
 * <p>{@code aff.sampler} (which pair sampler) belongs to component discovery, not to this record.
 * Pretrained (ImageNet) backbone weights are not an {@code aff.} key: they come from
 * {@code backbone.weights}, shared with the classifier, through an {@link Initializer}.
 */
public record AffConfig(int radius, int crop, int batchSize, int epochs, double lr, double weightDecay,
                        double momentum, double polyPower, int checkpointEvery, long seed,
                        double weightBgPositive, double weightFgPositive, double weightNegative, double eps,
                        int stratifiedPairs, int[] headChannels, double jitterBrightness, double jitterContrast,
                        double jitterSaturation, double jitterHue, boolean flip, String labels,
                        double labelMinFraction) {
    /** The config prefix. */
    public static final String PREFIX = "aff.";
    /** Label sources of {@link #labels()}. */
    public static final List<String> LABEL_SOURCES = List.of("seeds", "gt");

    public AffConfig {
        requireNonNull(headChannels, "headChannels is null");
        requireNonNull(labels, "labels is null");
        headChannels = headChannels.clone();
        Validator v = new Validator(PREFIX);
        v.check(radius >= 2, "radius", "must be >= 2 (radius 1 has no pairs), got " + radius);
        v.check(crop >= 8 && crop % 8 == 0, "crop", "must be a positive multiple of 8, got " + crop);
        v.positive(batchSize, "batch-size");
        v.positive(epochs, "epochs");
        v.positive(lr, "lr");
        v.nonNegative(weightDecay, "weight-decay");
        v.inRange(momentum, 0, 0.999999, "momentum");
        v.nonNegative(polyPower, "poly-power");
        v.positive(checkpointEvery, "checkpoint-every");
        v.nonNegative(weightBgPositive, "loss-weight-bg");
        v.nonNegative(weightFgPositive, "loss-weight-fg");
        v.nonNegative(weightNegative, "loss-weight-neg");
        v.check(weightBgPositive + weightFgPositive + weightNegative > 0, "loss-weight-neg",
                "the three loss weights must not all be 0");
        v.check(eps > 0 && eps < 0.5, "eps", "must be in (0, 0.5), got " + eps);
        v.positive(stratifiedPairs, "stratified-pairs");
        v.check(headChannels.length == 3 && Arrays.stream(headChannels).allMatch(c -> c > 0), "head-channels",
                "must be 3 positive channel counts (one per backbone tap), got " + Arrays.toString(headChannels));
        v.nonNegative(jitterBrightness, "jitter-brightness");
        v.nonNegative(jitterContrast, "jitter-contrast");
        v.nonNegative(jitterSaturation, "jitter-saturation");
        v.inRange(jitterHue, 0, 0.5, "jitter-hue");
        v.check(LABEL_SOURCES.contains(labels), "labels", "must be one of " + LABEL_SOURCES + ", got '" + labels + "'");
        v.inRange(labelMinFraction, 0, 1, "label-min-fraction");
        v.throwIfAny();
    }

    /** Reads every key (relative to {@code aff.}) with its REFERENCE.md default. */
    public static AffConfig from(ComponentConfig c) {
        requireNonNull(c, "c is null");
        return new AffConfig(
                c.getInt("radius", 5),
                c.getInt("crop", 448),
                c.getInt("batch-size", 8),
                c.getInt("epochs", 8),
                c.getDouble("lr", 0.1),
                c.getDouble("weight-decay", 5e-4),
                c.getDouble("momentum", 0.9),
                c.getDouble("poly-power", 0.9),
                c.getInt("checkpoint-every", 500),
                c.getLong("seed", 0),
                c.getDouble("loss-weight-bg", 0.25),
                c.getDouble("loss-weight-fg", 0.25),
                c.getDouble("loss-weight-neg", 0.5),
                c.getDouble("eps", 1e-5),
                c.getInt("stratified-pairs", 4096),
                c.getInts("head-channels", 64, 128, 256),
                c.getDouble("jitter-brightness", 0.3),
                c.getDouble("jitter-contrast", 0.3),
                c.getDouble("jitter-saturation", 0.3),
                c.getDouble("jitter-hue", 0.1),
                c.getBoolean("flip", true),
                c.getString("labels", "seeds"),
                c.getDouble("label-min-fraction", 0.0));
    }

    /** The reference defaults. */
    public static AffConfig defaults() {
        return from(ComponentConfig.empty());
    }

    /** The stencil of {@link #radius()}: 34 offsets for γ = 5. */
    public AffinityStencil stencil() {
        return AffinityStencil.of(radius);
    }

    /** The loss weights of the three pair subsets. */
    public LossWeights lossWeights() {
        return new LossWeights(weightBgPositive, weightFgPositive, weightNegative);
    }

    @Override
    public int[] headChannels() {
        return headChannels.clone();
    }

    /** A copy with other values for some keys, e.g. for tests: {@code with(Map.of("epochs", "2"))}. */
    public AffConfig with(Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>(toMap());
        all.putAll(overrides);
        return from(ComponentConfig.ofStrings(all));
    }

    /** Every key (relative to {@code aff.}) with its value as text. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("radius", Integer.toString(radius));
        m.put("crop", Integer.toString(crop));
        m.put("batch-size", Integer.toString(batchSize));
        m.put("epochs", Integer.toString(epochs));
        m.put("lr", Double.toString(lr));
        m.put("weight-decay", Double.toString(weightDecay));
        m.put("momentum", Double.toString(momentum));
        m.put("poly-power", Double.toString(polyPower));
        m.put("checkpoint-every", Integer.toString(checkpointEvery));
        m.put("seed", Long.toString(seed));
        m.put("loss-weight-bg", Double.toString(weightBgPositive));
        m.put("loss-weight-fg", Double.toString(weightFgPositive));
        m.put("loss-weight-neg", Double.toString(weightNegative));
        m.put("eps", Double.toString(eps));
        m.put("stratified-pairs", Integer.toString(stratifiedPairs));
        m.put("head-channels", headChannels[0] + "," + headChannels[1] + "," + headChannels[2]);
        m.put("jitter-brightness", Double.toString(jitterBrightness));
        m.put("jitter-contrast", Double.toString(jitterContrast));
        m.put("jitter-saturation", Double.toString(jitterSaturation));
        m.put("jitter-hue", Double.toString(jitterHue));
        m.put("flip", Boolean.toString(flip));
        m.put("labels", labels);
        m.put("label-min-fraction", Double.toString(labelMinFraction));
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AffConfig a && a.toMap().equals(toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return "AffConfig" + toMap();
    }
}
