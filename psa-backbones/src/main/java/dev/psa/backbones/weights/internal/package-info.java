/**
 * Not API: the PyTorch checkpoint reader and its safe unpickler.
 */
package dev.psa.backbones.weights.internal;
