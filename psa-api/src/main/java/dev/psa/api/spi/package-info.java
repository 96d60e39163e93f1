/**
 * Extension points. Each is a small component interface plus a provider with a stable name
 * ({@code [a-z][a-z0-9_-]*}), registered in {@code META-INF/services/<provider interface>}:
 * {@link dev.psa.api.spi.BackboneProvider}, {@link dev.psa.api.spi.PairSamplerProvider},
 * {@link dev.psa.api.spi.WalkSolverProvider}, {@link dev.psa.api.spi.DatasetProvider},
 * {@link dev.psa.api.spi.SegHeadProvider}.
 * Providers need a public no-argument constructor; {@code create} receives the component's
 * config view (e.g. {@code backbone.} for a backbone) and should fail with a {@link
 * dev.psa.api.config.ConfigException} naming the key when a value is wrong.
 */
package dev.psa.api.spi;
