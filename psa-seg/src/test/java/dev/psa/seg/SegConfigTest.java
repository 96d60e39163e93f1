package dev.psa.seg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;

class SegConfigTest {
    @Test
    void defaultsAreDeepLabsRecipeAndItsVocCrf() {
        ComponentConfig root = ComponentConfig.ofStrings(Map.of());
        SegConfig c = SegConfig.from(root.scoped("seg."));
        assertThat(c.enabled()).isTrue();
        assertThat(c.labels()).isEqualTo("rw");
        assertThat(c.split()).isEqualTo("val");
        assertThat(c.train().lr()).isEqualTo(0.001);
        assertThat(c.augment().crop()).isEqualTo(321);
        assertThat(c.train().optimizer()).isEqualTo("sgd");
        assertThat(c.crf()).isTrue();
        // DeepLab-LargeFOV's test.prototxt: bi_w 4, bi_xy_std 121, bi_rgb_std 5, pos_w 3, pos_xy_std 3, 10 iterations
        assertThat(List.of(c.crfConfig().iterations(), c.crfConfig().bilateralCompat(), c.crfConfig().bilateralSxy(),
                c.crfConfig().bilateralSrgb(), c.crfConfig().gaussianCompat(), c.crfConfig().gaussianSxy()))
                .containsExactly(10, 4.0, 121.0, 5.0, 3.0, 3.0);
        assertThat(root.reads()).containsKeys("seg.crf-bilateral-sxy", "seg.scales", "seg.epochs")
                .doesNotContainKey("seg.head");
    }

    @Test
    void everyProblemNamesItsKey() {
        ComponentConfig c = ComponentConfig.ofStrings(Map.of("seg.labels", "walk", "seg.init", "scratch",
                "seg.scales", "1,-1", "seg.crop", "4"));
        assertThatThrownBy(() -> SegConfig.from(c.scoped("seg."))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("seg.labels").hasMessageContaining("[rw, seeds, gt]")
                .hasMessageContaining("seg.init").hasMessageContaining("seg.scales").hasMessageContaining("seg.crop");
        ComponentConfig epochs = ComponentConfig.ofStrings(Map.of("seg.epochs", "0"));
        assertThatThrownBy(() -> SegConfig.from(epochs.scoped("seg."))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("seg.epochs");
    }

    /**
     * The training and the inference fingerprints share no key: every key SegConfig reads matches
     * exactly one of the two prefix lists ({@code seg.enabled} both), so a changed inference key
     * ({@code seg.crf}) never re-trains.
     */
    @Test
    void everyKeyBelongsToTrainingOrInferenceNotBoth() {
        ComponentConfig root = ComponentConfig.ofStrings(Map.of());
        SegConfig.from(root.scoped("seg."));
        for (String key : root.reads().keySet()) {
            boolean train = SegConfig.TRAIN_KEYS.stream().anyMatch(key::startsWith);
            boolean infer = SegConfig.INFER_KEYS.stream().anyMatch(key::startsWith);
            if (key.equals("seg.enabled")) {
                assertThat(train && infer).as(key).isTrue();
            } else {
                assertThat(train ^ infer).as(key + " in exactly one list").isTrue();
            }
        }
        assertThat(SegConfig.TRAIN_KEYS).contains("seg.head", "seg.largefov.", "seg.aspp.");
        assertThat(root.reads()).containsKeys("seg.optimizer", "seg.adam-beta1", "seg.adam-beta2", "seg.adam-eps");
    }

    @Test
    void adamIsChosenByKeyWithItsUsualDefaults() {
        SegConfig c = SegConfig.from(ComponentConfig.ofStrings(Map.of("seg.optimizer", "adam", "seg.adam-eps", "1e-6"))
                .scoped("seg."));
        assertThat(c.train().adam()).isTrue();
        assertThat(List.of(c.train().beta1(), c.train().beta2(), c.train().eps())).containsExactly(0.9, 0.999, 1e-6);
        assertThatThrownBy(() -> SegConfig.from(ComponentConfig.ofStrings(Map.of("seg.optimizer", "rmsprop"))
                .scoped("seg."))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("seg.optimizer: must be one of [sgd, adam], got 'rmsprop'");
    }
}
