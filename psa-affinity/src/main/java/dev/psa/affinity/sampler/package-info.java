/**
 * The built-in {@link dev.psa.api.spi.PairSampler}s, {@code balanced} (reference) and
 * {@code stratified}, their providers, and lookup by name for library use.
 */
package dev.psa.affinity.sampler;
