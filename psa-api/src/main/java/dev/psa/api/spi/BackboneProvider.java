package dev.psa.api.spi;

/** Discovers a {@link Backbone} by name (config key {@code backbone.name}). */
public interface BackboneProvider extends ComponentProvider<Backbone> {
}
