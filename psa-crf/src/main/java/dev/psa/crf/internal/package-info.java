/**
 * Implementation of the dense CRF, not API: the permutohedral lattice (with its open-addressing
 * hash table), the mean-field loop and a small block-parallel loop helper. Plain {@code float[]} /
 * {@code int[]} arrays only — ND4J has no op for sparse lattice splat/blur/slice, and per-element
 * ND4J calls would cost far more than the arithmetic (DESIGN.md allows plain Java for the lattice).
 */
package dev.psa.crf.internal;
