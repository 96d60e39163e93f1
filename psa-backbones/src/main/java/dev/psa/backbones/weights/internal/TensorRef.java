package dev.psa.backbones.weights.internal;

/** A tensor as the pickle describes it: a view (offset, size, stride in elements) of a storage. */
public record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
}
