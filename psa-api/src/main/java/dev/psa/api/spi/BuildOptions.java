package dev.psa.api.spi;

import static java.util.Objects.requireNonNull;

/**
 * How to build a backbone into a graph.
 *
 * @param purpose  classification (stage 1) or affinity (stage 3); e.g. VGG16's fc6 dilation
 *                 differs (1 vs 4)
 * @param training true builds dropout in; false builds the inference graph (no dropout). Batch
 *                 norm always uses its running statistics (frozen, REFERENCE.md).
 * @param seed     seed of the random initialisation of parameters
 * @param initialise true draws every parameter's initial value from {@code seed}; false only
 *                 allocates the parameters (their values are undefined), for callers that read
 *                 the graph's shapes or load every parameter from a file — a backbone may ignore
 *                 it and initialise anyway
 */
public record BuildOptions(Purpose purpose, boolean training, long seed, boolean initialise) {
    /** What the network is built for. */
    public enum Purpose { CLASSIFICATION, AFFINITY }

    public BuildOptions {
        requireNonNull(purpose, "purpose is null");
    }

    /** Options that initialise every parameter from {@code seed}. */
    public BuildOptions(Purpose purpose, boolean training, long seed) {
        this(purpose, training, seed, true);
    }
}
