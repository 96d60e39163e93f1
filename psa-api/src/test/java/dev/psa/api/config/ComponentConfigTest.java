package dev.psa.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentConfigTest {
    @Test
    void scopedGettersReadTypedValuesAndRecordReads() {
        ComponentConfig root = ComponentConfig.ofStrings(Map.of("rw.beta", "16", "rw.solver", "dense",
                "cam.scales", "1.0, 0.5", "rw.unused", "x"));
        ComponentConfig rw = root.scoped("rw");
        assertThat(rw.getDouble("beta", 8)).isEqualTo(16.0);
        assertThat(rw.getInt("logt", 8)).isEqualTo(8);
        assertThat(rw.getString("solver", "sparse")).isEqualTo("dense");
        assertThat(root.scoped("cam.").getDoubles("scales", 1.0)).containsExactly(1.0, 0.5);
        assertThat(root.reads().get("rw.logt").source()).isEqualTo("default");
        assertThat(root.reads().get("rw.beta").defaultValue()).isEqualTo("8.0");
        assertThat(root.unreadKeys()).containsExactly("rw.unused");
        assertThat(root.problems()).isEmpty();
    }

    @Test
    void unparsableValueIsAProblemNamingKeyAndSource() {
        ComponentConfig root = ComponentConfig.of(Map.of("rw.beta", new ComponentConfig.Value("eight", "file a.yaml")));
        assertThat(root.scoped("rw.").getDouble("beta", 8)).isEqualTo(8.0);
        assertThat(root.problems()).singleElement().asString()
                .contains("rw.beta").contains("eight").contains("a.yaml").contains("a number");
    }

    @Test
    void validatorReportsAllProblemsTogether() {
        Validator v = new Validator("rw.");
        v.positive(-1, "beta").inRange(2, 0, 1, "alpha").check(true, "x", "never");
        assertThatThrownBy(v::throwIfAny).isInstanceOf(ConfigException.class)
                .hasMessageContaining("2 config problems").hasMessageContaining("rw.beta").hasMessageContaining("rw.alpha");
    }
}
