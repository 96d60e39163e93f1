package dev.psa.cam;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;

/**
 * Settings of multi-scale CAM inference ({@code psa cams}) and of the CAM-only prediction, config
 * prefix {@code cam.} (REFERENCE.md §Stage 1).
 *
 * @param scales     image scales of the inference passes ({@code scales}, "1.0,0.5,1.5,2.0")
 * @param flip       also run every scale horizontally flipped ({@code flip}, true)
 * @param activation CAM activation ({@code activation}, auto): {@code relu}, {@code sqrt-relu}
 *                   (the VGG16 variant) or {@code auto} (sqrt-relu for the backbone named
 *                   {@code vgg16}, relu otherwise)
 * @param epsilon    added to each class's maximum before dividing by it ({@code epsilon}, 1e-5)
 * @param bgScore    constant background score of the CAM-only prediction ({@code bg-score}, 0.2;
 *                   IRN uses 0.15)
 * @param batchSize  images per network pass; images of equal size are stacked into one batch
 *                   ({@code batch-size}, 8)
 * @param resize     how each scale's input is made ({@code resize}, bilinear): {@code bilinear} —
 *                   bilinear in float, half-pixel centres, sizes round(s·H) rounded half up — or
 *                   {@code pil-bicubic}, the authors' way: the 8-bit image resized like Pillow's
 *                   {@code Image.resize(..., BICUBIC)} ({@code PilBicubic} of psa-data),
 *                   sizes rounded half to even like Python 3's {@code round}
 */
public record CamConfig(double[] scales, boolean flip, String activation, double epsilon, double bgScore,
                        int batchSize, String resize) {
    /** The resize methods ({@code cam.resize}). */
    public static final List<String> RESIZE = List.of("bilinear", "pil-bicubic");

    /** The config prefix. */
    public static final String PREFIX = "cam.";

    public CamConfig {
        requireNonNull(scales, "scales is null");
        requireNonNull(activation, "activation is null");
        requireNonNull(resize, "resize is null");
        resize = resize.trim().toLowerCase(Locale.ROOT);
        scales = scales.clone();
        activation = activation.trim().toLowerCase(Locale.ROOT);
        Validator v = new Validator(PREFIX);
        v.check(scales.length > 0, "scales", "needs at least one scale");
        v.check(Arrays.stream(scales).allMatch(s -> s > 0 && s <= 8), "scales",
                "every scale must be in (0, 8], got " + Arrays.toString(scales));
        v.check(activation.equals("auto") || activation.equals("relu") || activation.equals("sqrt-relu"),
                "activation", "must be one of [auto, relu, sqrt-relu], got '" + activation + "'");
        v.positive(epsilon, "epsilon");
        v.inRange(bgScore, 0, 1, "bg-score");
        v.positive(batchSize, "batch-size");
        v.check(RESIZE.contains(resize), "resize", "must be one of " + RESIZE + ", got '" + resize + "'");
        v.throwIfAny();
    }

    /** Reads every key (relative to {@code cam.}) with its REFERENCE.md default. */
    public static CamConfig from(ComponentConfig c) {
        requireNonNull(c, "c is null");
        return new CamConfig(
                c.getDoubles("scales", 1.0, 0.5, 1.5, 2.0),
                c.getBoolean("flip", true),
                c.getString("activation", "auto"),
                c.getDouble("epsilon", 1e-5),
                c.getDouble("bg-score", 0.2),
                c.getInt("batch-size", 8),
                c.getString("resize", "bilinear"));
    }

    /** Whether inputs are resized like the authors' code (Pillow bicubic, round half to even). */
    public boolean pilBicubic() {
        return resize.equals("pil-bicubic");
    }

    /**
     * The side of a scaled input: {@code round(s·size)}, at least 1 — half up, or half to even
     * (Python 3's {@code round}, the authors' code) with {@code pil-bicubic}: 375 × 1.5 gives 563
     * or 562.
     */
    public int scaledSize(int size, double s) {
        double v = size * s;
        long r = pilBicubic() ? (long) Math.rint(v) : Math.round(v);
        return (int) Math.max(1, r);
    }

    /** The reference defaults. */
    public static CamConfig defaults() {
        return from(ComponentConfig.empty());
    }

    @Override
    public double[] scales() {
        return scales.clone();
    }

    /** Whether CAMs use sqrt(ReLU(·)) for a backbone of this name ({@code auto}: only vgg16). */
    public boolean sqrtFor(String backboneName) {
        return switch (activation) {
            case "sqrt-relu" -> true;
            case "relu" -> false;
            default -> "vgg16".equals(backboneName);
        };
    }

    /** Number of network passes per image. */
    public int passes() {
        return scales.length * (flip ? 2 : 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CamConfig c && Arrays.equals(c.scales, scales) && c.flip == flip
                && c.activation.equals(activation) && c.epsilon == epsilon && c.bgScore == bgScore
                && c.batchSize == batchSize && c.resize.equals(resize);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(scales) * 31 + activation.hashCode()) * 31 + resize.hashCode();
    }

    @Override
    public String toString() {
        return "CamConfig[scales=" + Arrays.toString(scales) + ", flip=" + flip + ", activation=" + activation
                + ", epsilon=" + epsilon + ", bgScore=" + bgScore + ", batchSize=" + batchSize + ", resize=" + resize + "]";
    }
}
