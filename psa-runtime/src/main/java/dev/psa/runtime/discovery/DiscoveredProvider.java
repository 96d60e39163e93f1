package dev.psa.runtime.discovery;

import dev.psa.api.spi.ComponentProvider;

/**
 * A provider found by discovery, with where it came from.
 *
 * @param kind     its kind
 * @param provider the instance
 * @param origin   the jar or classes folder it was loaded from
 * @param version  the implementation version of its jar, or "dev"
 */
public record DiscoveredProvider(ComponentKind<?> kind, ComponentProvider<?> provider, String origin, String version) {
    public String name() {
        return provider.name();
    }
}
