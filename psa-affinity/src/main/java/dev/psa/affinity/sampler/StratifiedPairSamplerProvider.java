package dev.psa.affinity.sampler;

import dev.psa.affinity.LossWeights;
import dev.psa.api.config.ConfigException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.PairSampler;
import dev.psa.api.spi.PairSamplerProvider;

/**
 * {@code stratified}: equal numbers of pairs drawn from the three subsets per batch. Reads from the
 * {@code aff.} view: {@code stratified-pairs} (4096) and the loss weights of {@code balanced}.
 */
public final class StratifiedPairSamplerProvider implements PairSamplerProvider {
    @Override
    public String name() {
        return "stratified";
    }

    @Override
    public String description() {
        return "the same number of pairs (aff.stratified-pairs) drawn from each subset per batch, seeded";
    }

    @Override
    public PairSampler create(ComponentConfig config) {
        int n = config.getInt("stratified-pairs", 4096);
        if (n < 1) {
            throw new ConfigException(config.fullKey("stratified-pairs") + ": must be >= 1, got " + n);
        }
        return new StratifiedPairSampler(LossWeights.from(config), n);
    }
}
