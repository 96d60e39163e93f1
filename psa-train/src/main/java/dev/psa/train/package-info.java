/**
 * The training loop shared by every trained stage: poly-learning-rate SGD with per-role multipliers, checkpoints and exact resume.
 */
package dev.psa.train;
