package dev.psa.api.spi;

/** Discovers a {@link Dataset} by name (config key {@code data.name}). */
public interface DatasetProvider extends ComponentProvider<Dataset> {
}
