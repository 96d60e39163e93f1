/**
 * Stage 5 (REFERENCE.md): the segmentation network — a backbone's stride-8 features plus a head found
 * by name — trained on the pseudo labels ({@code train-seg}) and run multi-scale with optional dense
 * CRF on the evaluation split ({@code seg}).
 */
package dev.psa.seg;
