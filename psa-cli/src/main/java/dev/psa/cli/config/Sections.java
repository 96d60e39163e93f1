package dev.psa.cli.config;

import java.util.List;

/** The stage config sections known to the command line, in the order {@code config show} lists them. */
public final class Sections {
    private Sections() {
    }

    public static List<Section<?>> all() {
        return List.of(
                new Section<>(dev.psa.data.DataConfig.PREFIX, dev.psa.data.DataConfig.class, dev.psa.data.DataConfig::from),
                new Section<>(dev.psa.eval.EvalConfig.PREFIX, dev.psa.eval.EvalConfig.class, dev.psa.eval.EvalConfig::from));
    }
}
