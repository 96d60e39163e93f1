package dev.psa.randomwalk;

import static java.util.Objects.requireNonNull;

import java.util.List;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;

/**
 * Settings of the random-walk stage (key prefix {@code rw.}), defaults from REFERENCE.md §Stage 4.
 * {@code rw.solver} (which walk solver) belongs to component discovery and {@code rw.threads} to the
 * {@code sparse} solver's provider: each key has one reader.
 *
 * @param alpha   exponent of the background score (1 − max_c M_c)^α ({@code rw.alpha}, default 16)
 * @param beta    exponent of the affinities, A = W^β ({@code rw.beta}, default 8)
 * @param logt    log₂ of the number of walk steps, t = 2^logt ({@code rw.logt}, default 8, so t = 256)
 * @param radius  γ, radius of the affinity pairs; must equal the radius the affinity graph was made
 *                with ({@code rw.radius}, default 5)
 * @param crf     refine the pseudo labels with a dense CRF ({@code rw.crf}, default false; applied by the
 *                stage runner, PSA's published labels used it)
 * @param pairs   which pairs carry affinity ({@code rw.pairs}, default {@code all}): {@code all} in-grid
 *                pairs within the radius, or {@code reference}, the authors' subset ({@link ReferencePairs})
 */
public record RwConfig(double alpha, double beta, int logt, int radius, boolean crf, String pairs) {
    /** The values of {@code rw.pairs}. */
    public static final List<String> PAIRS = List.of("all", "reference");

    /** The key prefix of this record. */
    public static final String PREFIX = "rw.";
    /** Largest accepted {@code logt} (t = 2^20 steps is already far beyond any use). */
    public static final int MAX_LOGT = 20;

    public RwConfig {
        requireNonNull(pairs, "pairs is null");
        Validator v = new Validator(PREFIX);
        v.check(alpha > 0 && Double.isFinite(alpha), "alpha", "must be a finite number > 0, got " + alpha);
        v.check(beta > 0 && Double.isFinite(beta), "beta", "must be a finite number > 0, got " + beta);
        v.check(logt >= 0 && logt <= MAX_LOGT, "logt", "must be in [0, " + MAX_LOGT + "] (t = 2^logt steps), got "
                + logt);
        v.check(radius >= 1, "radius", "must be >= 1, got " + radius);
        v.check(PAIRS.contains(pairs), "pairs", "must be one of " + PAIRS + ", got '" + pairs + "'");
        v.throwIfAny();
    }

    /** @param c the config view scoped to {@code rw.} */
    public static RwConfig from(ComponentConfig c) {
        requireNonNull(c, "c is null");
        return new RwConfig(
                c.getDouble("alpha", 16),
                c.getDouble("beta", 8),
                c.getInt("logt", 8),
                c.getInt("radius", 5),
                c.getBoolean("crf", false),
                c.getString("pairs", "all"));
    }

    /** REFERENCE.md §Stage 4: α = 16, β = 8, t = 2^8 = 256, γ = 5, no CRF. */
    public static RwConfig defaults() {
        return new RwConfig(16, 8, 8, 5, false, "all");
    }

    /** Whether the walk uses the authors' pair set ({@code rw.pairs = reference}). */
    public boolean referencePairs() {
        return pairs.equals("reference");
    }

    /** t = 2^logt, the number of walk steps. */
    public int steps() {
        return 1 << logt;
    }
}
