/**
 * Not API: the PyTorch checkpoint reader (zip through the central directory, legacy by storage
 * offsets, one tensor at a time) and its safe unpickler.
 */
package dev.psa.backbones.weights.internal;
