/**
 * Weight files (.npz, PyTorch .pth through an allow-listed unpickler), loading them into graphs by name, and the logic of {@code psa weights import|inspect}.
 */
package dev.psa.backbones.weights;
