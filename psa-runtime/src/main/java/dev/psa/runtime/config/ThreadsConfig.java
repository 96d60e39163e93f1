package dev.psa.runtime.config;

import static java.util.Objects.requireNonNull;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;

/**
 * ND4J threads of the per-image stages (cams, seeds, walk, seg, eval) on the local engine (prefix {@code threads.}).
 * Measured on 2 cores (docs/psa-backbones.md, "Threads"): a real backbone's pass gains 1.55–1.96× from the second
 * thread at every input size, but the demo's per-image stages (96-px images, tiny backbone) run 1.8× faster on one
 * thread, where OpenMP's start-up outweighs the work of each op. Training stages always use every thread.
 *
 * @param perImage key {@code per-image}: ND4J threads while a per-image stage runs; 0 = what the process has
 *                 ({@code OMP_NUM_THREADS}, which the launcher sets to the cores) — the default; the demo preset
 *                 sets 1. The Spark engine uses {@code spark.psa.task-threads} instead.
 */
public record ThreadsConfig(int perImage) {
    public static final String PREFIX = "threads.";

    public ThreadsConfig {
        new Validator(PREFIX).check(perImage >= 0 && perImage <= 1024, "per-image",
                "must be in [0, 1024] (0 = every thread the process has), got " + perImage).throwIfAny();
    }

    /** @param c a view scoped to {@code threads.} */
    public static ThreadsConfig from(ComponentConfig c) {
        requireNonNull(c, "c is null");
        return new ThreadsConfig(c.getInt("per-image", 0));
    }
}
