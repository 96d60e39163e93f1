package dev.psa.crf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrfConfigTest {
    @Test
    void psaPresetHasReferenceValues() {
        // REFERENCE.md §Stage 2: Gaussian sxy 3 compat 3; bilateral sxy 80 srgb 13 compat 10; 10 iterations
        assertThat(CrfConfig.psa()).isEqualTo(new CrfConfig(10, 3, 3, 80, 13, 10, 0.7));
        assertThat(CrfConfig.defaults()).isEqualTo(CrfConfig.psa());
    }

    @Test
    void irnPresetHasReferenceValues() {
        // IRN variant: bilateral sxy 50, srgb 5, gt_prob 0.7
        assertThat(CrfConfig.irn()).isEqualTo(new CrfConfig(10, 3, 3, 50, 5, 10, 0.7));
    }

    @Test
    void emptyConfigGivesDefaultsAndRecordsEveryKey() {
        ComponentConfig c = ComponentConfig.empty().scoped("crf.");
        assertThat(CrfConfig.from(c)).isEqualTo(CrfConfig.psa());
        assertThat(c.reads().keySet()).containsExactlyInAnyOrder("crf.iterations", "crf.gaussian-sxy",
                "crf.gaussian-compat", "crf.bilateral-sxy", "crf.bilateral-srgb", "crf.bilateral-compat", "crf.gt-prob");
        assertThat(c.reads().get("crf.bilateral-sxy").defaultValue()).isEqualTo("80.0");
    }

    @Test
    void readsEveryKey() {
        ComponentConfig c = ComponentConfig.ofStrings(Map.of("crf.iterations", "5", "crf.gaussian-sxy", "2.5",
                "crf.gaussian-compat", "1", "crf.bilateral-sxy", "50", "crf.bilateral-srgb", "5",
                "crf.bilateral-compat", "4", "crf.gt-prob", "0.9")).scoped("crf.");
        assertThat(CrfConfig.from(c)).isEqualTo(new CrfConfig(5, 2.5, 1, 50, 5, 4, 0.9));
        assertThat(c.unreadKeys()).isEmpty();
    }

    @Test
    void reportsAllProblemsTogetherWithKeys() {
        ComponentConfig c = ComponentConfig.ofStrings(Map.of("crf.iterations", "-1", "crf.bilateral-srgb", "0",
                "crf.gaussian-compat", "-2", "crf.gt-prob", "1")).scoped("crf.");
        assertThatThrownBy(() -> CrfConfig.from(c))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(4))
                .hasMessageContaining("crf.iterations: must be >= 0, got -1")
                .hasMessageContaining("crf.bilateral-srgb: must be a finite number > 0, got 0.0")
                .hasMessageContaining("crf.gaussian-compat: must be a finite number >= 0")
                .hasMessageContaining("crf.gt-prob: must be in (0, 1)");
    }

    @Test
    void rejectsNonFiniteValues() {
        assertThatThrownBy(() -> new CrfConfig(10, Double.NaN, 3, Double.POSITIVE_INFINITY, 13, 10, 0.7))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("crf.gaussian-sxy")
                .hasMessageContaining("crf.bilateral-sxy");
    }

    @Test
    void unparsableValueIsRecordedAsProblem() {
        ComponentConfig c = ComponentConfig.ofStrings(Map.of("crf.iterations", "ten")).scoped("crf.");
        assertThat(CrfConfig.from(c).iterations()).isEqualTo(10);
        assertThat(c.problems()).singleElement().asString().contains("crf.iterations").contains("ten");
    }

    @Test
    void withersKeepOtherValues() {
        CrfConfig c = CrfConfig.irn().withIterations(3).withCompat(0, 5).withGtProb(0.8);
        assertThat(c).isEqualTo(new CrfConfig(3, 3, 0, 50, 5, 5, 0.8));
    }
}
