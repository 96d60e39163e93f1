package dev.psa.cam;

import static java.util.Objects.requireNonNull;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;

/**
 * Settings of the seed labels ({@code psa seeds}, REFERENCE.md §Stage 2), config prefix
 * {@code seeds.}. The dense CRF's own settings live under {@code crf.} ({@code dev.psa.crf.CrfConfig}).
 *
 * @param alphaLo low background power: foreground that still wins against (1 − max)^α_lo is
 *                confident foreground ({@code alpha-lo}, 4)
 * @param alphaHi high background power: background that still wins against the CAMs is confident
 *                background ({@code alpha-hi}, 32; the paper says 24)
 * @param crf     refine each score stack with the dense CRF before the argmax ({@code crf}, true;
 *                false takes the argmax of the raw scores, which SYNTHETIC.md measured far less
 *                precise)
 */
public record SeedConfig(double alphaLo, double alphaHi, boolean crf) {
    /** The config prefix. */
    public static final String PREFIX = "seeds.";

    public SeedConfig {
        Validator v = new Validator(PREFIX);
        v.positive(alphaLo, "alpha-lo");
        v.positive(alphaHi, "alpha-hi");
        v.check(alphaHi >= alphaLo, "alpha-hi", "must be >= alpha-lo (" + alphaLo + "), got " + alphaHi);
        v.throwIfAny();
    }

    /** Reads every key (relative to {@code seeds.}) with its REFERENCE.md default. */
    public static SeedConfig from(ComponentConfig c) {
        requireNonNull(c, "c is null");
        return new SeedConfig(c.getDouble("alpha-lo", 4), c.getDouble("alpha-hi", 32), c.getBoolean("crf", true));
    }

    /** The reference defaults. */
    public static SeedConfig defaults() {
        return from(ComponentConfig.empty());
    }
}
