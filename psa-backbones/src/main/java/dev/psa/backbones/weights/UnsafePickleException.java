package dev.psa.backbones.weights;

import dev.psa.api.PsaException;

/** A pickle in a weight file names something other than tensors, storages and ordered dicts. */
public class UnsafePickleException extends PsaException {
    public UnsafePickleException(String message) {
        super(message);
    }
}
