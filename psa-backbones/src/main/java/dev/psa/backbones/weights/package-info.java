/**
 * Weight files (.npz, PyTorch .pth zip or legacy through an allow-listed unpickler), where each of
 * their keys goes in psa ({@link dev.psa.backbones.weights.WeightPlan}, {@link dev.psa.backbones.weights.Heads}),
 * loading them into graphs by name, and the logic of {@code psa weights import|inspect}.
 */
package dev.psa.backbones.weights;
