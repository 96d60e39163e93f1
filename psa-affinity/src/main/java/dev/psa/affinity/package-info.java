/**
 * Stage 3 of PSA, AffinityNet (REFERENCE.md §Stage 3): affinity labels at stride 8 and their pair
 * classes ({@link dev.psa.affinity.AffinityLabels}), the network and loss
 * ({@link dev.psa.affinity.AffinityNet}), training ({@link dev.psa.affinity.AffinityStage}, the logic of
 * {@code psa train-aff}), inference for the random walk ({@link dev.psa.affinity.AffinityPredictor})
 * and a quality measure against true masks ({@link dev.psa.affinity.AffinityQuality}). Settings:
 * {@link dev.psa.affinity.AffConfig}, prefix {@code aff.}.
 */
package dev.psa.affinity;
