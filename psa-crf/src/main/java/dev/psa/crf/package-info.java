/**
 * Dense (fully connected) CRF with Gaussian edge potentials (Krähenbühl and Koltun 2011), solved
 * by mean field with permutohedral-lattice filtering (Adams et al. 2010): {@link dev.psa.crf.DenseCrf}
 * with its settings {@link dev.psa.crf.CrfConfig} (keys {@code crf.*}; presets PSA and IRN), and
 * {@link dev.psa.crf.CrfBench}, the logic of {@code psa bench crf}. Used for the seed labels
 * (REFERENCE.md §Stage 2) and optionally to refine pseudo labels.
 */
package dev.psa.crf;
