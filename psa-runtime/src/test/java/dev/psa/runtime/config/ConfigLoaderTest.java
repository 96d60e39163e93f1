package dev.psa.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.google.inject.Guice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.api.config.Validator;
import dev.psa.runtime.discovery.ComponentKind;
import dev.psa.runtime.discovery.Components;
import dev.psa.runtime.discovery.Discovery;
import dev.psa.runtime.discovery.DiscoveryModule;

class ConfigLoaderTest {
    /** A stage-like record, validated in its constructor. */
    record WalkLike(double beta, int logt) {
        WalkLike {
            new Validator("rw.").positive(beta, "beta").inRange(logt, 0, 16, "logt").throwIfAny();
        }

        static WalkLike from(ComponentConfig c) {
            return new WalkLike(c.getDouble("beta", 8), c.getInt("logt", 8));
        }
    }

    private static final List<Section<?>> SECTIONS = List.of(new Section<>("rw.", WalkLike.class, WalkLike::from));

    @TempDir
    Path dir;

    private Components components() {
        return Guice.createInjector(new DiscoveryModule(Discovery.discover(getClass().getClassLoader(), null)))
                .getInstance(Components.class);
    }

    private Settings resolve(Map<String, ComponentConfig.Value> values) {
        return Settings.resolve(values, SECTIONS, components(), Set.of(ComponentKind.WALK_SOLVER));
    }

    @Test
    void laterSourcesWinAndEachValueKnowsItsSource() throws Exception {
        Path f = dir.resolve("run.yaml");
        Files.writeString(f, "preset: demo\nrw:\n  beta: 16\n  logt: 4\n  solver: fake-walk\n");
        Map<String, ComponentConfig.Value> v = ConfigLoader.load(null, f, List.of("rw.logt=6"));
        assertThat(v.get("backbone.name")).isEqualTo(new ComponentConfig.Value("tiny", "preset demo"));
        assertThat(v.get("rw.beta")).isEqualTo(new ComponentConfig.Value("16", "file " + f));
        assertThat(v.get("rw.logt")).isEqualTo(new ComponentConfig.Value("6", "--set"));
        Map<String, ComponentConfig.Value> onlyKnown = new java.util.LinkedHashMap<>(v);
        onlyKnown.keySet().retainAll(java.util.Set.of("rw.beta", "rw.logt", "rw.solver", ConfigLoader.PRESET_KEY));
        Settings s = resolve(onlyKnown);
        assertThat(s.get(WalkLike.class)).isEqualTo(new WalkLike(16, 6));
        assertThat(s.root().reads().get("rw.logt").defaultValue()).isEqualTo("8");
    }

    @Test
    void propertiesFilesAndDefaultsWork() throws Exception {
        Path f = dir.resolve("run.properties");
        Files.writeString(f, "rw.solver = fake-walk\n");
        Settings s = resolve(ConfigLoader.load(null, f, List.of()));
        assertThat(s.get(WalkLike.class)).isEqualTo(new WalkLike(8, 8));
        assertThat(s.reads()).extracting(ComponentConfig.Read::key).contains("rw.beta", "rw.logt", "rw.solver");
    }

    @Test
    void allProblemsAreReportedTogether() throws Exception {
        Path f = dir.resolve("bad.properties");
        Files.writeString(f, "rw.solver=fake-walk\nrw.bta=3\nrw.logt=40\nrw.beta=abc\n");
        assertThatThrownBy(() -> resolve(ConfigLoader.load(null, f, List.of()))).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(3))
                .hasMessageContaining("unknown key 'rw.bta'").hasMessageContaining("Did you mean 'rw.beta'?")
                .hasMessageContaining("rw.logt: must be in [0.0, 16.0], got 40")
                .hasMessageContaining("rw.beta: cannot read 'abc'");
    }

    @Test
    void unknownComponentAndPresetAndBadSetAreErrors() {
        assertThatThrownBy(() -> resolve(ConfigLoader.load(null, null, List.of("rw.solver=fake-wlk"))))
                .hasMessageContaining("Unknown walk solver 'fake-wlk'").hasMessageContaining("Did you mean 'fake-walk'?");
        assertThatThrownBy(() -> ConfigLoader.load("dmeo", null, List.of("novalue")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown preset 'dmeo'")
                .hasMessageContaining("Did you mean 'demo'?").hasMessageContaining("--set novalue");
    }

    @Test
    void missingOrUnparsableFileNamesTheFile() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(null, dir.resolve("none.yaml"), List.of()))
                .hasMessageContaining("none.yaml").hasMessageContaining("does not exist");
        Path f = dir.resolve("broken.yaml");
        Files.writeString(f, "rw: [unclosed\n");
        assertThatThrownBy(() -> ConfigLoader.load(null, f, List.of())).hasMessageContaining("broken.yaml")
                .hasMessageContaining("cannot be parsed");
    }

    /** Every section and component of {@code psa run} (not the dataset, which would read a folder). */
    private Settings resolveAll(Map<String, ComponentConfig.Value> values) {
        Set<ComponentKind<?>> kinds = new HashSet<>(ComponentKind.all());
        kinds.remove(ComponentKind.DATASET);
        return Settings.resolve(values, Sections.all(), components(), kinds);
    }

    @Test
    void switchingAComponentByOverrideLeavesThePresetsKeysForTheOtherOneUnused() {
        // the demo preset sets seg.largefov.channels / .dilation; with seg.head=aspp nobody reads them
        Settings s = resolveAll(ConfigLoader.load("demo", null, List.of("seg.head=aspp", "seg.aspp.dilations=1,2")));
        assertThat(s.unused()).containsEntry("seg.largefov.channels", "seg.head=aspp, not largefov")
                .containsEntry("seg.largefov.dilation", "seg.head=aspp, not largefov").hasSize(2);
        assertThat(s.resolvedValues()).containsEntry("seg.head", "aspp").containsEntry("seg.aspp.dilations", "1,2")
                .doesNotContainKey("seg.largefov.channels");
        // the same for a backbone's own section
        assertThat(resolveAll(ConfigLoader.load("demo", null, List.of("backbone.vgg16.x=1"))).unused())
                .containsEntry("backbone.vgg16.x", "backbone.name=tiny, not vgg16");
        // the preset itself: everything read, nothing unused
        assertThat(resolveAll(ConfigLoader.load("demo", null, List.of())).unused()).isEmpty();
    }

    @Test
    void aTypoIsStillAnUnknownKey() {
        // in the selected head's own section, in a section of no registered head, in a stage section
        assertThatThrownBy(() -> resolveAll(ConfigLoader.load("demo", null, List.of("seg.largefov.chanels=64"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'seg.largefov.chanels' (from --set).")
                .hasMessageContaining("Did you mean 'seg.largefov.channels'?");
        assertThatThrownBy(() -> resolveAll(ConfigLoader.load("demo", null, List.of("seg.head=aspp", "seg.asp.dilations=6"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'seg.asp.dilations' (from --set).");
        assertThatThrownBy(() -> resolveAll(ConfigLoader.load("demo", null, List.of("seg.optimiser=adam"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'seg.optimiser' (from --set).")
                .hasMessageContaining("Did you mean 'seg.optimizer'?");
    }

    @Test
    void perImageThreadsComeFromTheDemoPresetAndAreChecked() {
        assertThat(resolveAll(ConfigLoader.load("demo", null, List.of())).get(ThreadsConfig.class))
                .isEqualTo(new ThreadsConfig(1));
        assertThat(resolveAll(ConfigLoader.load("psa-resnet38-voc", null, List.of("data.root=/data/VOCdevkit")))
                .get(ThreadsConfig.class)).isEqualTo(new ThreadsConfig(0));
        assertThatThrownBy(() -> resolveAll(ConfigLoader.load("demo", null, List.of("threads.per-image=-1"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("threads.per-image: must be in [0, 1024] (0 = every thread the process has), got -1");
    }
}
