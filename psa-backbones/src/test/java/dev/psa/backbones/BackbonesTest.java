package dev.psa.backbones;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import dev.psa.api.spi.BackboneProvider;

class BackbonesTest {
    @Test
    void theServiceRegistrationExportsTheThreeBuiltInBackbones() {
        // psa finds backbones only through META-INF/services (the runtime's discovery)
        Map<String, String> registered = new TreeMap<>();
        for (BackboneProvider p : ServiceLoader.load(BackboneProvider.class, getClass().getClassLoader())) {
            registered.put(p.name(), p.getClass().getName());
        }
        assertThat(registered).isEqualTo(Map.of("resnet38", "dev.psa.backbones.resnet38.ResNet38BackboneProvider",
                "tiny", "dev.psa.backbones.tiny.TinyBackboneProvider",
                "vgg16", "dev.psa.backbones.vgg16.Vgg16BackboneProvider"));
    }
}
