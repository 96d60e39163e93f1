package dev.psa.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalConfigTest {
    @Test
    void defaultsAreTheReferenceValues() {
        EvalConfig c = EvalConfig.from(ComponentConfig.empty().scoped("eval."));
        assertThat(c).isEqualTo(EvalConfig.defaults());
        assertThat(c.unlabeledPredAs()).isEqualTo(UnlabeledPrediction.NONE);
        assertThat(c.thresholds()).hasSize(61);
        assertThat(c.thresholds()[0]).isEqualTo(0.0);
        assertThat(c.thresholds()[60]).isEqualTo(0.6);
    }

    @Test
    void readsKeysUnderThePrefix() {
        ComponentConfig root = ComponentConfig.ofStrings(Map.of("eval.unlabeled-pred-as", "background",
                "eval.threshold-max", "0.3", "eval.threads", "3"));
        EvalConfig c = EvalConfig.from(root.scoped("eval."));
        assertThat(c.unlabeledPredAs()).isEqualTo(UnlabeledPrediction.BACKGROUND);
        assertThat(c.thresholds()).hasSize(31);
        assertThat(c.effectiveThreads()).isEqualTo(3);
        assertThat(root.unreadKeys()).isEmpty();
    }

    @Test
    void reportsAllProblemsTogether() {
        ComponentConfig root = ComponentConfig.ofStrings(Map.of("eval.unlabeled-pred-as", "bg",
                "eval.threshold-step", "0", "eval.threads", "-1"));
        assertThatThrownBy(() -> EvalConfig.from(root.scoped("eval.")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(3))
                .hasMessageContaining("eval.unlabeled-pred-as").hasMessageContaining("eval.threshold-step")
                .hasMessageContaining("eval.threads");
    }
}
