package dev.psa.backbones;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import dev.psa.api.spi.BackboneProvider;

class BackbonesTest {
    @Test
    void theBuiltInListMatchesWhatTheServiceRegistrationExports() {
        // the CLI finds backbones through META-INF/services; Backbones lists them for library use
        Map<String, String> registered = new TreeMap<>();
        for (BackboneProvider p : ServiceLoader.load(BackboneProvider.class, getClass().getClassLoader())) {
            registered.put(p.name(), p.getClass().getName());
        }
        Map<String, String> builtIn = new TreeMap<>();
        Backbones.providers().forEach((name, p) -> builtIn.put(name, p.getClass().getName()));
        assertThat(builtIn).containsOnlyKeys("resnet38", "tiny", "vgg16").isEqualTo(registered);
    }
}
