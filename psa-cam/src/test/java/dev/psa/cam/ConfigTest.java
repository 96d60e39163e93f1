package dev.psa.cam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;

class ConfigTest {
    @Test
    void defaultsAreTheReferenceValues() {
        ClsConfig c = ClsConfig.defaults();
        assertThat(c.crop()).isEqualTo(448);
        assertThat(c.batchSize()).isEqualTo(16);
        assertThat(c.epochs()).isEqualTo(15);
        assertThat(c.lr()).isEqualTo(0.1);
        assertThat(c.weightDecay()).isEqualTo(5e-4);
        assertThat(c.momentum()).isEqualTo(0.9);
        assertThat(c.polyPower()).isEqualTo(0.9);
        assertThat(c.dropout()).isEqualTo(0.5);
        assertThat(c.resizeMin()).isEqualTo(256);
        assertThat(c.resizeMax()).isEqualTo(512);
        assertThat(c.flip()).isTrue();
        assertThat(new double[] {c.brightness(), c.contrast(), c.saturation(), c.hue()})
                .containsExactly(0.3, 0.3, 0.3, 0.1);
        CamConfig m = CamConfig.defaults();
        assertThat(m.scales()).containsExactly(1.0, 0.5, 1.5, 2.0);
        assertThat(m.flip()).isTrue();
        assertThat(m.passes()).isEqualTo(8);
        assertThat(m.bgScore()).isEqualTo(0.2);
        assertThat(m.epsilon()).isEqualTo(1e-5);
        assertThat(m.sqrtFor("vgg16")).isTrue();
        assertThat(m.sqrtFor("resnet38")).isFalse();
        assertThat(m.resize()).isEqualTo("bilinear");
        assertThat(m.pilBicubic()).isFalse();
        SeedConfig s = SeedConfig.defaults();
        assertThat(s.alphaLo()).isEqualTo(4);
        assertThat(s.alphaHi()).isEqualTo(32);
        assertThat(s.crf()).isTrue();
    }

    @Test
    void valuesAreReadUnderThePrefixAndEveryKeyIsRead() {
        ComponentConfig root = ComponentConfig.ofStrings(Map.of("cls.crop", "96", "cls.momentum", "0",
                "cam.scales", "1.0", "cam.activation", "sqrt-relu", "seeds.alpha-hi", "24"));
        ClsConfig c = ClsConfig.from(root.scoped(ClsConfig.PREFIX));
        CamConfig m = CamConfig.from(root.scoped(CamConfig.PREFIX));
        SeedConfig s = SeedConfig.from(root.scoped(SeedConfig.PREFIX));
        assertThat(c.crop()).isEqualTo(96);
        assertThat(c.momentum()).isZero();
        assertThat(m.scales()).containsExactly(1.0);
        assertThat(m.sqrtFor("resnet38")).isTrue();
        assertThat(s.alphaHi()).isEqualTo(24);
        assertThat(root.unreadKeys()).isEmpty();
        assertThat(root.reads()).containsKeys("cls.checkpoint-every", "cls.jitter-hue", "cam.bg-score",
                "seeds.alpha-lo", "seeds.crf");
    }

    @Test
    void allProblemsAreReportedTogetherWithTheirKeys() {
        ComponentConfig c = ComponentConfig.ofStrings(Map.of("crop", "0", "momentum", "1.5", "resize-max", "100"));
        assertThatThrownBy(() -> ClsConfig.from(c)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cls.crop").hasMessageContaining("cls.momentum")
                .hasMessageContaining("cls.resize-max");
        assertThatThrownBy(() -> CamConfig.from(ComponentConfig.ofStrings(Map.of("activation", "gelu",
                "scales", "1,-2")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cam.activation").hasMessageContaining("gelu").hasMessageContaining("cam.scales");
        assertThatThrownBy(() -> SeedConfig.from(ComponentConfig.ofStrings(Map.of("alpha-lo", "40"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("seeds.alpha-hi");
        assertThatThrownBy(() -> CamConfig.from(ComponentConfig.ofStrings(Map.of("resize", "bicubic"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cam.resize")
                .hasMessageContaining("bicubic").hasMessageContaining("pil-bicubic");
    }

    @Test
    void resizeIsPartOfTheValue() {
        CamConfig pil = CamConfig.from(ComponentConfig.ofStrings(Map.of("resize", " PIL-Bicubic ")));
        assertThat(pil.resize()).isEqualTo("pil-bicubic");
        assertThat(pil.pilBicubic()).isTrue();
        assertThat(pil).isNotEqualTo(CamConfig.defaults());
        assertThat(pil).isEqualTo(CamConfig.from(ComponentConfig.ofStrings(Map.of("resize", "pil-bicubic"))));
        assertThat(pil.hashCode()).isNotEqualTo(CamConfig.defaults().hashCode());
        assertThat(pil.toString()).contains("resize=pil-bicubic");
    }
}
