package dev.psa.backbones.weights;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import dev.psa.api.config.ComponentConfig;
import dev.psa.backbones.tiny.TinyConfig;

/** The committed checkpoint fixtures (src/test/resources/weights/README.md). */
final class Fixtures {
    /** The tiny widths the fixtures fit. */
    static final TinyConfig TINY = new TinyConfig(2, 3, 4);

    private Fixtures() {
    }

    static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/weights/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ComponentConfig tinyConfig() {
        return ComponentConfig.ofStrings(Map.of("backbone.tiny.stem-channels", "2", "backbone.tiny.conv-channels", "3",
                "backbone.tiny.channels", "4")).scoped("backbone.");
    }

    /** w(t, o, i, y, x) of the README. */
    static double w(int t, long o, long i, long y, long x) {
        return 10000.0 * t + 1000 * o + 100 * i + 10 * y + x;
    }
}
