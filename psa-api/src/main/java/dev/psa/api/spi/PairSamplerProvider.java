package dev.psa.api.spi;

/** Discovers a {@link PairSampler} by name (config key {@code aff.sampler}). */
public interface PairSamplerProvider extends ComponentProvider<PairSampler> {
}
