/**
 * The built-in {@link dev.psa.api.spi.WalkSolver}s and their providers: {@code dense} (the reference
 * formulation, N×N matrices on ND4J), {@code sparse} (stencil steps in plain Java, the default) and
 * {@code nd4j-stencil} (stencil steps as ND4J ops, for the CUDA backend).
 */
package dev.psa.randomwalk.solver;
