package dev.psa.affinity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;

class AffConfigTest {
    @Test
    void defaultsAreTheReferenceValues() {
        AffConfig c = AffConfig.defaults();
        assertThat(c.radius()).isEqualTo(5);
        assertThat(c.crop()).isEqualTo(448);
        assertThat(c.batchSize()).isEqualTo(8);
        assertThat(c.epochs()).isEqualTo(8);
        assertThat(c.lr()).isEqualTo(0.1);
        assertThat(c.weightDecay()).isEqualTo(5e-4);
        assertThat(c.momentum()).isEqualTo(0.9);
        assertThat(c.polyPower()).isEqualTo(0.9);
        assertThat(c.lossWeights()).isEqualTo(new LossWeights(0.25, 0.25, 0.5));
        assertThat(c.eps()).isEqualTo(1e-5);
        assertThat(c.headChannels()).containsExactly(64, 128, 256);
        assertThat(c.jitterBrightness()).isEqualTo(0.3);
        assertThat(c.jitterContrast()).isEqualTo(0.3);
        assertThat(c.jitterSaturation()).isEqualTo(0.3);
        assertThat(c.jitterHue()).isEqualTo(0.1);
        assertThat(c.flip()).isTrue();
        assertThat(c.labels()).isEqualTo("seeds");
        assertThat(c.stencil().size()).isEqualTo(34);
    }

    @Test
    void readsScopedKeysAndRecordsEveryRead() {
        ComponentConfig root = ComponentConfig.ofStrings(Map.of("aff.radius", "3", "aff.sampler", "stratified",
                "aff.head-channels", "8,16,32", "aff.labels", "gt"));
        AffConfig c = AffConfig.from(root.scoped("aff."));
        assertThat(c.radius()).isEqualTo(3);
        assertThat(c.headChannels()).containsExactly(8, 16, 32);
        assertThat(c.labels()).isEqualTo("gt");
        // aff.sampler belongs to component discovery: this record leaves it unread
        assertThat(root.unreadKeys()).containsExactly("aff.sampler");
        assertThat(root.reads()).containsKeys("aff.crop", "aff.loss-weight-neg", "aff.eps", "aff.checkpoint-every");
        assertThat(c.with(Map.of("epochs", "2")).epochs()).isEqualTo(2);
        assertThat(c.with(Map.of())).isEqualTo(c);
    }

    @Test
    void reportsAllProblemsTogetherWithPrefixedKeys() {
        ComponentConfig cfg = ComponentConfig.ofStrings(Map.of("radius", "1", "crop", "100", "lr", "-1",
                "labels", "cams", "head-channels", "64,128"));
        assertThatThrownBy(() -> AffConfig.from(cfg))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(5))
                .hasMessageContaining("aff.radius").hasMessageContaining("aff.crop: must be a positive multiple of 8, got 100")
                .hasMessageContaining("aff.lr").hasMessageContaining("aff.labels: must be one of [seeds, gt], got 'cams'")
                .hasMessageContaining("aff.head-channels");
    }
}
