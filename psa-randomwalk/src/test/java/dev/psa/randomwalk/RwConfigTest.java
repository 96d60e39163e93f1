package dev.psa.randomwalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RwConfigTest {
    @Test
    void defaultsAreTheReferenceValues() {
        RwConfig d = RwConfig.defaults();
        assertThat(d).isEqualTo(new RwConfig(16, 8, 8, 5, false, "all"));
        assertThat(d.steps()).isEqualTo(256);
        ComponentConfig root = ComponentConfig.empty();
        assertThat(RwConfig.from(root.scoped("rw."))).isEqualTo(d);
        // every key is read (so `psa config show` lists it with its default)
        assertThat(root.reads().keySet()).containsExactlyInAnyOrder("rw.alpha", "rw.beta", "rw.logt",
                "rw.radius", "rw.crf", "rw.pairs");
        assertThat(root.reads().get("rw.beta").defaultValue()).isEqualTo("8.0");
    }

    @Test
    void readsEveryKeyUnderItsPrefix() {
        ComponentConfig c = ComponentConfig.ofStrings(Map.of("rw.solver", "dense", "rw.alpha", "24", "rw.beta", "10",
                "rw.logt", "5", "rw.radius", "4", "rw.crf", "true", "rw.threads", "3", "cam.alpha", "99"));
        RwConfig r = RwConfig.from(c.scoped("rw."));
        // rw.solver and rw.threads are not this record's: discovery and the sparse solver read them
        assertThat(c.unreadKeys()).containsExactlyInAnyOrder("rw.solver", "rw.threads", "cam.alpha");
        assertThat(r).isEqualTo(new RwConfig(24, 10, 5, 4, true, "all"));
        assertThat(r.steps()).isEqualTo(32);
    }

    @Test
    void reportsAllProblemsTogetherWithTheirKeys() {
        assertThatThrownBy(() -> new RwConfig(0, -1, 21, 0, false, "some"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(5)
                        .anySatisfy(p -> assertThat(p).startsWith("rw.alpha:").contains("got 0.0"))
                        .anySatisfy(p -> assertThat(p).startsWith("rw.beta:").contains("got -1.0"))
                        .anySatisfy(p -> assertThat(p).startsWith("rw.logt:").contains("[0, 20]").contains("got 21"))
                        .anySatisfy(p -> assertThat(p).startsWith("rw.radius:").contains("got 0"))
                        .anySatisfy(p -> assertThat(p).startsWith("rw.pairs:").contains("[all, reference]")));
    }

    @Test
    void aValueThatDoesNotParseIsRecordedAsAProblem() {
        ComponentConfig c = ComponentConfig.ofStrings(Map.of("rw.beta", "eight"));
        RwConfig r = RwConfig.from(c.scoped("rw."));
        assertThat(r.beta()).isEqualTo(8);
        assertThat(c.problems()).singleElement().asString().startsWith("rw.beta: cannot read 'eight'");
    }
}
