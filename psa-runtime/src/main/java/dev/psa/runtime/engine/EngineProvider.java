package dev.psa.runtime.engine;

import dev.psa.api.spi.ComponentProvider;

/** A named factory of {@link Engine}s, selected by the key {@code engine} ({@code local}, {@code spark}). */
public interface EngineProvider extends ComponentProvider<Engine> {
}
