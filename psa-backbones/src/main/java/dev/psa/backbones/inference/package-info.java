/**
 * Eager inference for the built-in backbones: the layers recorded while their SameDiff graph is built
 * ({@link dev.psa.backbones.inference.LayerProgram}) run op by op in NHWC, with frozen batch norms folded
 * into the convolutions and dilated convolutions done as space-to-batch plain ones.
 */
package dev.psa.backbones.inference;
