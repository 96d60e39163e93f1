package dev.psa.cli.config;

import java.util.List;

/** The stage config sections known to the command line, in the order {@code config show} lists them. */
public final class Sections {
    private Sections() {
    }

    public static List<Section<?>> all() {
        return List.of();
    }
}
