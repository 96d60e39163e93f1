package dev.psa.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.psa.api.config.ComponentConfig;

/** The presets that reproduce PSA from the authors' trained checkpoints (issue 16). */
class PublishedPresetsTest {
    @Test
    void publishedPresetsSkipTrainingAndNameTheFourCheckpoints() {
        assertThat(ConfigLoader.presets()).contains("psa-resnet38-voc-published", "psa-vgg16-voc-published");
        Map<String, List<String>> expected = Map.of(
                "psa-resnet38-voc-published", List.of("resnet38", "res38_cls.pth", "res38_aff.pth"),
                "psa-vgg16-voc-published", List.of("vgg16", "vgg_cls.pth", "vgg_aff.pth"));
        expected.forEach((preset, e) -> {
            Map<String, ComponentConfig.Value> values = ConfigLoader.load(preset, null,
                    List.of("data.root=/data/VOCdevkit", "cls.weights=/w/" + e.get(1)));
            ComponentConfig root = ComponentConfig.of(values);
            PipelineConfig pc = PipelineConfig.from(root);
            assertThat(pc.clsWeights()).as(preset).contains(Path.of("/w/" + e.get(1)));
            assertThat(pc.affWeights()).as(preset).contains(Path.of(e.get(2)));
            assertThat(values.get("backbone.name").value()).isEqualTo(e.get(0));
            assertThat(values.get("data.name").value()).isEqualTo("voc2012");
            assertThat(values.get("data.split").value()).isEqualTo("train");
            assertThat(values.get("aff.weights").source()).isEqualTo("preset " + preset);
        });
    }
}
