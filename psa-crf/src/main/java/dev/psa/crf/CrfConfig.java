package dev.psa.crf;

import static java.util.Objects.requireNonNull;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;

/**
 * Settings of the dense CRF (REFERENCE.md §Stage 2; Krähenbühl and Koltun 2011). Config keys
 * (prefix {@code crf.}), defaults = PSA's settings:
 * <pre>
 *   crf.iterations        10    mean-field iterations t (0 = softmax of the unary)
 *   crf.gaussian-sxy      3     spatial std (pixels) of the smoothness kernel
 *   crf.gaussian-compat   3     Potts weight of the smoothness kernel (0 = off)
 *   crf.bilateral-sxy     80    spatial std (pixels) of the appearance kernel
 *   crf.bilateral-srgb    13    colour std (RGB 0..255 units) of the appearance kernel
 *   crf.bilateral-compat  10    Potts weight of the appearance kernel (0 = off)
 *   crf.gt-prob           0.7   confidence of a hard label (unary from labels only)
 * </pre>
 *
 * @param iterations      mean-field iterations, ≥ 0
 * @param gaussianSxy     Gaussian (smoothness) kernel spatial standard deviation in pixels, &gt; 0
 * @param gaussianCompat  Gaussian kernel Potts weight, ≥ 0
 * @param bilateralSxy    bilateral (appearance) kernel spatial standard deviation in pixels, &gt; 0
 * @param bilateralSrgb   bilateral kernel colour standard deviation (RGB 0..255), &gt; 0
 * @param bilateralCompat bilateral kernel Potts weight, ≥ 0
 * @param gtProb          probability given to a hard label, in (0, 1); the other labels share the rest
 */
public record CrfConfig(int iterations, double gaussianSxy, double gaussianCompat,
                        double bilateralSxy, double bilateralSrgb, double bilateralCompat, double gtProb) {
    /** The key prefix of this record. */
    public static final String PREFIX = "crf.";

    public CrfConfig {
        Validator v = new Validator(PREFIX);
        v.check(iterations >= 0, "iterations", "must be >= 0, got " + iterations);
        positiveFinite(v, gaussianSxy, "gaussian-sxy");
        nonNegativeFinite(v, gaussianCompat, "gaussian-compat");
        positiveFinite(v, bilateralSxy, "bilateral-sxy");
        positiveFinite(v, bilateralSrgb, "bilateral-srgb");
        nonNegativeFinite(v, bilateralCompat, "bilateral-compat");
        v.check(gtProb > 0 && gtProb < 1, "gt-prob", "must be in (0, 1) (exclusive), got " + gtProb);
        v.throwIfAny();
    }

    private static void positiveFinite(Validator v, double value, String key) {
        v.check(value > 0 && Double.isFinite(value), key, "must be a finite number > 0, got " + value);
    }

    private static void nonNegativeFinite(Validator v, double value, String key) {
        v.check(value >= 0 && Double.isFinite(value), key, "must be a finite number >= 0 (0 turns the kernel off), got "
                + value);
    }

    /**
     * Reads every key with PSA's default.
     *
     * @param c the configuration scoped to {@code crf.}
     * @throws dev.psa.api.config.ConfigException listing every invalid value
     */
    public static CrfConfig from(ComponentConfig c) {
        requireNonNull(c, "c is null");
        CrfConfig d = psa();
        return new CrfConfig(
                c.getInt("iterations", d.iterations()),
                c.getDouble("gaussian-sxy", d.gaussianSxy()),
                c.getDouble("gaussian-compat", d.gaussianCompat()),
                c.getDouble("bilateral-sxy", d.bilateralSxy()),
                c.getDouble("bilateral-srgb", d.bilateralSrgb()),
                c.getDouble("bilateral-compat", d.bilateralCompat()),
                c.getDouble("gt-prob", d.gtProb()));
    }

    /** The defaults: {@link #psa()}. */
    public static CrfConfig defaults() {
        return psa();
    }

    /**
     * PSA's settings (REFERENCE.md §Stage 2): 10 iterations, Gaussian sxy 3 compat 3, bilateral
     * sxy 80 srgb 13 compat 10; gt-prob 0.7 for label input.
     */
    public static CrfConfig psa() {
        return new CrfConfig(10, 3, 3, 80, 13, 10, 0.7);
    }

    /**
     * IRN's settings (its {@code crf_inference_label}): 10 iterations, Gaussian sxy 3 compat 3,
     * bilateral sxy 50 srgb 5 compat 10, gt-prob 0.7.
     */
    public static CrfConfig irn() {
        return new CrfConfig(10, 3, 3, 50, 5, 10, 0.7);
    }

    /** @return a copy with another iteration count */
    public CrfConfig withIterations(int t) {
        return new CrfConfig(t, gaussianSxy, gaussianCompat, bilateralSxy, bilateralSrgb, bilateralCompat, gtProb);
    }

    /** @return a copy with other Potts weights (0 turns a kernel off) */
    public CrfConfig withCompat(double gaussian, double bilateral) {
        return new CrfConfig(iterations, gaussianSxy, gaussian, bilateralSxy, bilateralSrgb, bilateral, gtProb);
    }

    /** @return a copy with another gt-prob */
    public CrfConfig withGtProb(double p) {
        return new CrfConfig(iterations, gaussianSxy, gaussianCompat, bilateralSxy, bilateralSrgb, bilateralCompat, p);
    }
}
