package dev.psa.api.spi;

import dev.psa.api.config.ComponentConfig;

/**
 * A named factory for one kind of component.
 *
 * @param <T> the component type
 */
public interface ComponentProvider<T> {
    /** A stable name matching {@code [a-z][a-z0-9_-]*}; it is what users write in config. */
    String name();

    /** One line for {@code psa plugins}. */
    default String description() {
        return "";
    }

    /** @param config the component's scoped config view */
    T create(ComponentConfig config);
}
