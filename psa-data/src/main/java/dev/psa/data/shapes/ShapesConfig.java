package dev.psa.data.shapes;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;

/**
 * Settings of the built-in synthetic dataset {@code shapes} (keys {@code data.shapes.*}). The
 * defaults follow SYNTHETIC.md: large objects (semi-axes 22–35 % of the image side), 1–2 per image,
 * 4 classes, a central class mark covering 12 % of the object, a shared body tinted 10 % towards
 * the class colour, a smooth desaturated background with clutter and mild noise.
 *
 * @param size          image side in pixels (images are square)
 * @param count         number of images over both splits; {@code val} gets {@code round(count · valFraction)}
 * @param seed          the generator seed: the same seed gives the same images, in any order
 * @param valFraction   share of {@code count} in the {@code val} split
 * @param classes       number of foreground classes (2..6)
 * @param minObjects    fewest objects per image (≥ 1)
 * @param maxObjects    most objects per image (≤ 3)
 * @param objectMin     smallest object semi-axis as a fraction of {@code size}
 * @param objectMax     largest object semi-axis as a fraction of {@code size}
 * @param markFraction  area of the class mark over the object's area
 * @param bodyTint      how far the shared body colour is mixed towards the class colour
 * @param clutter       most clutter shapes on the background (0..8)
 * @param noise         standard deviation of the Gaussian pixel noise, in 0..255 units
 */
public record ShapesConfig(int size, int count, long seed, double valFraction, int classes, int minObjects,
                           int maxObjects, double objectMin, double objectMax, double markFraction,
                           double bodyTint, int clutter, double noise) {
    /** Key prefix of this record, relative to the root. */
    public static final String PREFIX = "data.shapes.";

    public ShapesConfig {
        Validator v = new Validator(PREFIX);
        v.check(size >= 16 && size <= 4096, "size", "must be in [16, 4096], got " + size);
        v.check(count >= 1, "count", "must be >= 1, got " + count);
        v.inRange(valFraction, 0, 1, "val-fraction");
        v.check(classes >= 2 && classes <= ShapesGenerator.MAX_CLASSES, "classes",
                "must be in [2, " + ShapesGenerator.MAX_CLASSES + "], got " + classes);
        v.check(minObjects >= 1, "min-objects", "must be >= 1, got " + minObjects);
        v.check(maxObjects >= minObjects && maxObjects <= 3, "max-objects",
                "must be in [min-objects, 3] = [" + minObjects + ", 3], got " + maxObjects);
        v.check(objectMin > 0 && objectMin <= objectMax, "object-min",
                "must be in (0, object-max] = (0, " + objectMax + "], got " + objectMin);
        v.check(objectMax > 0 && objectMax <= 0.45, "object-max", "must be in (0, 0.45], got " + objectMax);
        v.check(markFraction > 0 && markFraction <= 0.5, "mark-fraction", "must be in (0, 0.5], got " + markFraction);
        v.inRange(bodyTint, 0, 1, "body-tint");
        v.check(clutter >= 0 && clutter <= 8, "clutter", "must be in [0, 8], got " + clutter);
        v.check(noise >= 0 && noise <= 64, "noise", "must be in [0, 64], got " + noise);
        v.throwIfAny();
    }

    /** @param c the config view scoped to {@code data.shapes.} */
    public static ShapesConfig from(ComponentConfig c) {
        ShapesConfig d = defaults();
        return new ShapesConfig(c.getInt("size", d.size), c.getInt("count", d.count), c.getLong("seed", d.seed),
                c.getDouble("val-fraction", d.valFraction), c.getInt("classes", d.classes),
                c.getInt("min-objects", d.minObjects), c.getInt("max-objects", d.maxObjects),
                c.getDouble("object-min", d.objectMin), c.getDouble("object-max", d.objectMax),
                c.getDouble("mark-fraction", d.markFraction), c.getDouble("body-tint", d.bodyTint),
                c.getInt("clutter", d.clutter), c.getDouble("noise", d.noise));
    }

    /** The SYNTHETIC.md defaults: 1000 images of 96×96 (800 train, 200 val), seed 0. */
    public static ShapesConfig defaults() {
        return new ShapesConfig(96, 1000, 0, 0.2, 4, 1, 2, 0.22, 0.35, 0.12, 0.10, 3, 4.0);
    }

    /** The same settings with another size, count and seed (used by {@code psa data synth}). */
    public ShapesConfig with(int newSize, int newCount, long newSeed) {
        return new ShapesConfig(newSize, newCount, newSeed, valFraction, classes, minObjects, maxObjects, objectMin,
                objectMax, markFraction, bodyTint, clutter, noise);
    }

    /** Number of images in the {@code val} split. */
    public int valCount() {
        return (int) Math.round(count * valFraction);
    }

    /** Number of images in the {@code train} split. */
    public int trainCount() {
        return count - valCount();
    }
}
