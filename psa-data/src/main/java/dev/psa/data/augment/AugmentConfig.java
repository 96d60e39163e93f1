package dev.psa.data.augment;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;

/**
 * Training-time augmentation (REFERENCE.md §Stage 1, classifier): random resize of the long side to
 * an integer in [{@code resizeMin}, {@code resizeMax}] (bicubic; labels nearest), random horizontal
 * flip, colour jitter (brightness, contrast, saturation, hue, in random order as torchvision's
 * {@code ColorJitter}), normalisation, then a random {@code crop}×{@code crop} crop with zero
 * padding (labels padded with 255).
 *
 * <p>Stage configs (cls., aff.) hold these values under their own keys and build this record; {@link
 * #from} reads the same key names for a view scoped to any prefix.
 *
 * @param resize     whether to resize randomly (AffinityNet training does not)
 * @param resizeMin  smallest long side in pixels ({@code resize-min}, 256)
 * @param resizeMax  largest long side in pixels ({@code resize-max}, 512)
 * @param flip       random horizontal flip with probability 1/2 ({@code flip}, true)
 * @param brightness brightness factor drawn from [1-b, 1+b] ({@code jitter-brightness}, 0.3)
 * @param contrast   contrast factor drawn from [1-c, 1+c] ({@code jitter-contrast}, 0.3)
 * @param saturation saturation factor drawn from [1-s, 1+s] ({@code jitter-saturation}, 0.3)
 * @param hue        hue shift drawn from [-h, h] turns ({@code jitter-hue}, 0.1)
 * @param crop       side of the square output; 0 keeps the (resized) image size ({@code crop}, 448)
 */
public record AugmentConfig(boolean resize, int resizeMin, int resizeMax, boolean flip, double brightness,
                            double contrast, double saturation, double hue, int crop) {
    public AugmentConfig {
        Validator v = new Validator("");
        v.check(!resize || resizeMin >= 1, "resize-min", "must be >= 1, got " + resizeMin);
        v.check(!resize || resizeMax >= resizeMin, "resize-max",
                "must be >= resize-min (" + resizeMin + "), got " + resizeMax);
        v.inRange(brightness, 0, 1, "jitter-brightness");
        v.inRange(contrast, 0, 1, "jitter-contrast");
        v.inRange(saturation, 0, 1, "jitter-saturation");
        v.inRange(hue, 0, 0.5, "jitter-hue");
        v.check(crop >= 0, "crop", "must be >= 0 (0 = no crop), got " + crop);
        v.throwIfAny();
    }

    /** The classifier defaults of REFERENCE.md: resize [256, 512], flip, jitter 0.3/0.3/0.3/0.1, crop 448. */
    public static AugmentConfig classifier() {
        return new AugmentConfig(true, 256, 512, true, 0.3, 0.3, 0.3, 0.1, 448);
    }

    /** The AffinityNet defaults of REFERENCE.md: no resize, flip, jitter 0.3/0.3/0.3/0.1, crop 448. */
    public static AugmentConfig affinity() {
        return new AugmentConfig(false, 0, 0, true, 0.3, 0.3, 0.3, 0.1, 448);
    }

    /** Nothing random: no resize, flip or jitter, no crop. */
    public static AugmentConfig none() {
        return new AugmentConfig(false, 0, 0, false, 0, 0, 0, 0, 0);
    }

    /**
     * Reads {@code resize-min}, {@code resize-max}, {@code flip}, {@code jitter-*} and {@code crop}
     * from a view scoped to a stage prefix, with the classifier defaults.
     *
     * @param resize whether the stage resizes randomly
     */
    public static AugmentConfig from(ComponentConfig c, boolean resize) {
        AugmentConfig d = classifier();
        return new AugmentConfig(resize, c.getInt("resize-min", d.resizeMin), c.getInt("resize-max", d.resizeMax),
                c.getBoolean("flip", d.flip), c.getDouble("jitter-brightness", d.brightness),
                c.getDouble("jitter-contrast", d.contrast), c.getDouble("jitter-saturation", d.saturation),
                c.getDouble("jitter-hue", d.hue), c.getInt("crop", d.crop));
    }

    /** The same with another crop and resize range (e.g. small demo images). */
    public AugmentConfig withSizes(int newCrop, int newResizeMin, int newResizeMax) {
        return new AugmentConfig(resize, newResizeMin, newResizeMax, flip, brightness, contrast, saturation, hue,
                newCrop);
    }

    /** Whether colour jitter does anything. */
    public boolean jitters() {
        return brightness > 0 || contrast > 0 || saturation > 0 || hue > 0;
    }
}
