package dev.psa.runtime.config;

import java.util.function.Function;
import dev.psa.api.config.ComponentConfig;

/**
 * One group of config keys with the typed record built from it.
 *
 * @param prefix  e.g. {@code "rw."}
 * @param type    the record type
 * @param factory builds (and validates) the record from the view scoped to the prefix
 */
public record Section<T>(String prefix, Class<T> type, Function<ComponentConfig, T> factory) {
}
