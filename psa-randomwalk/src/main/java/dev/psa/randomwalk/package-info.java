/**
 * Stage 4 of PSA (REFERENCE.md §Stage 4): random walk on the AffinityNet affinities and pseudo-label
 * synthesis. {@link dev.psa.randomwalk.PseudoLabeler} is the per-image entry point, {@link
 * dev.psa.randomwalk.WalkScores} the score preparation, upsampling and argmax, {@link
 * dev.psa.randomwalk.RwConfig} the {@code rw.} settings, {@link dev.psa.randomwalk.WalkBench} the logic
 * of {@code psa bench walk}; the solvers are in {@link dev.psa.randomwalk.solver}.
 */
package dev.psa.randomwalk;
