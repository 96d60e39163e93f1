package dev.psa.backbones.weights.internal;

/**
 * A storage a tensor points to: its type, key (zip entry {@code data/<key>} or the legacy
 * record's key) and number of elements.
 */
public record StorageRef(StorageType type, String key, long numel) {
}
