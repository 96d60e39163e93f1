package dev.psa.runtime.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.runtime.config.ConfigLoader;

class SweepGridTest {
    @TempDir
    Path dir;

    @Test
    void variantsVaryTheKeyOfTheEarliestStageSlowestAndKeepTheUsersKeyOrderInTheirNames() {
        SweepGrid g = SweepGrid.of(Map.of(), List.of("rw.beta=4,8", "aff.sampler=balanced,stratified"));
        assertThat(g.variants().stream().map(SweepGrid.Variant::name)).containsExactly(
                "rw.beta=4,aff.sampler=balanced", "rw.beta=8,aff.sampler=balanced",
                "rw.beta=4,aff.sampler=stratified", "rw.beta=8,aff.sampler=stratified");
    }

    @Test
    void aTiedKeyFollowsItsPartnerUnlessTheGridNamesBoth() {
        Map<String, ComponentConfig.Value> base = Map.of("aff.radius", new ComponentConfig.Value("2", "preset demo"),
                "sweep.name", new ComponentConfig.Value("x", "file f"));
        SweepGrid.Variant v = SweepGrid.of(base, List.of("rw.radius=3")).variants().get(0);
        Map<String, ComponentConfig.Value> values = v.over(base);
        assertThat(values.get("rw.radius").value()).isEqualTo("3");
        assertThat(values.get("aff.radius").value()).isEqualTo("3");
        assertThat(values.get("aff.radius").source()).contains("--grid rw.radius");
        assertThat(values).doesNotContainKey("sweep.name");
        SweepGrid.Variant both = SweepGrid.of(base, List.of("rw.radius=3", "aff.radius=4")).variants().get(0);
        assertThat(both.over(base).get("aff.radius").value()).isEqualTo("4");
    }

    @Test
    void listValuesAreSeparatedBySemicolonsAndFolderNamesAreSafe() {
        SweepGrid g = SweepGrid.of(Map.of(), List.of("cam.scales=0.5,1.0;1.0", "backbone.weights=/m/a b.npz"));
        assertThat(g.keys().get("cam.scales")).containsExactly("0.5,1.0", "1.0");
        assertThat(g.variants().get(0).name()).isEqualTo("cam.scales=0.5,1.0,backbone.weights=_m_a_b.npz");
        assertThat(g.variants().get(0).values()).containsEntry("backbone.weights", "/m/a b.npz");
    }

    @Test
    void theSweepBlockOfAYamlFileIsTheGridAndGridOptionsReplaceItsKeys() throws Exception {
        Path f = Files.writeString(dir.resolve("s.yaml"), "preset: demo\nsweep:\n  name: radius\n  grid:\n"
                + "    rw.beta: [4, 8, 16]\n    rw.radius: [2, 3]\n");
        Map<String, ComponentConfig.Value> values = ConfigLoader.load(null, f, List.of());
        SweepGrid g = SweepGrid.of(values, List.of("rw.beta=32,64"));
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("rw.radius", List.of("2", "3"));
        expected.put("rw.beta", List.of("32", "64"));
        assertThat(g.keys()).isEqualTo(expected);
        assertThat(values.get(SweepGrid.NAME_KEY).value()).isEqualTo("radius");
    }

    @Test
    void malformedGridsAreConfigErrorsNamingTheOption() {
        assertThatThrownBy(() -> SweepGrid.of(Map.of(), List.of("rw.beta", "rw.alpha=4,,8", "rw.t=1,1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--grid rw.beta: expected KEY=V1,V2,...")
                .hasMessageContaining("--grid rw.alpha=4,,8: expected KEY=V1,V2,... with no empty value")
                .hasMessageContaining("--grid rw.t=1,1: a value is listed twice");
        assertThatThrownBy(() -> SweepGrid.of(Map.of(), List.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("a sweep needs a grid");
        assertThatThrownBy(() -> SweepGrid.of(Map.of("sweep.gird.rw.beta", new ComponentConfig.Value("4", "file f")),
                List.of("rw.beta=4"))).hasMessageContaining("unknown key 'sweep.gird.rw.beta' (from file f)");
    }
}
