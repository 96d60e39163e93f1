package dev.psa.affinity.sampler;

import dev.psa.affinity.LossWeights;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.PairSampler;
import dev.psa.api.spi.PairSamplerProvider;

/**
 * {@code balanced}: the reference weighting, all pairs with per-subset means. Reads from the
 * {@code aff.} view: {@code loss-weight-bg} (0.25), {@code loss-weight-fg} (0.25),
 * {@code loss-weight-neg} (0.5).
 */
public final class BalancedPairSamplerProvider implements PairSamplerProvider {
    @Override
    public String name() {
        return "balanced";
    }

    @Override
    public String description() {
        return "all pairs, each subset's loss averaged over its own pairs, weights 1/4 1/4 1/2 (reference)";
    }

    @Override
    public PairSampler create(ComponentConfig config) {
        return new BalancedPairSampler(LossWeights.from(config));
    }
}
