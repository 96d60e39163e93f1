package dev.psa.runtime.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import com.google.inject.Guice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.PsaException;
import dev.psa.api.config.ConfigException;
import dev.psa.api.spi.WalkSolverProvider;

class DiscoveryTest {
    private static final String SERVICE = WalkSolverProvider.class.getName();

    @TempDir
    Path dir;

    @Test
    void findsTestRegisteredComponentAndServesItThroughGuice() {
        Discovery.Result r = Discovery.discover(getClass().getClassLoader(), null);
        assertThat(r.of(ComponentKind.WALK_SOLVER)).containsKey("fake-walk");
        DiscoveredProvider d = r.all().stream().filter(p -> p.name().equals("fake-walk")).findFirst().orElseThrow();
        assertThat(d.origin()).contains("test-classes");
        Components c = Guice.createInjector(new DiscoveryModule(r)).getInstance(Components.class);
        assertThat(c.walkSolver("fake-walk")).isInstanceOf(FakeWalkSolverProvider.class);
    }

    @Test
    void unknownNameListsAvailableNamesAndSuggestion() {
        Components c = Guice.createInjector(new DiscoveryModule(Discovery.discover(getClass().getClassLoader(), null)))
                .getInstance(Components.class);
        assertThatThrownBy(() -> c.walkSolver("fake-wlak")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("Unknown walk solver 'fake-wlak'").hasMessageContaining("key rw.solver")
                .hasMessageContaining("fake-walk").hasMessageContaining("Did you mean 'fake-walk'?")
                .hasMessageContaining("META-INF/services/" + SERVICE);
    }

    @Test
    void pluginJarIsLoadedThroughItsOwnClassLoader() throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        TestJars.jar(plugins, "good.jar", Map.of("acme.GoodSolver", TestJars.solverSource("acme", "GoodSolver", "acme-walk", false)),
                Map.of(SERVICE, "acme.GoodSolver\n"));
        Discovery.Result r = Discovery.discover(getClass().getClassLoader(), plugins);
        DiscoveredProvider d = r.all().stream().filter(p -> p.name().equals("acme-walk")).findFirst().orElseThrow();
        assertThat(d.origin()).endsWith("good.jar");
        assertThat(d.provider().getClass().getClassLoader()).isNotSameAs(getClass().getClassLoader());
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void brokenJarsAreReportedAndDoNotTakeOthersDown() throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        TestJars.jar(plugins, "a-empty.jar", Map.of(), Map.of());
        TestJars.jar(plugins, "b-throws.jar", Map.of("acme.Bad", TestJars.solverSource("acme", "Bad", "bad-walk", true)),
                Map.of(SERVICE, "acme.Bad\n"));
        TestJars.jar(plugins, "c-missing-class.jar", Map.of(), Map.of(SERVICE, "acme.DoesNotExist\n"));
        TestJars.jar(plugins, "d-good.jar", Map.of("acme.Good", TestJars.solverSource("acme", "Good", "good-walk", false)),
                Map.of(SERVICE, "acme.Good\n"));
        Discovery.Result r = Discovery.discover(getClass().getClassLoader(), plugins);
        assertThat(r.of(ComponentKind.WALK_SOLVER)).containsKeys("good-walk", "fake-walk").doesNotContainKey("bad-walk");
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("a-empty.jar").contains("contains no psa provider"));
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("b-throws.jar").contains("acme.Bad")
                .contains("failed while constructed").contains("no licence"));
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("c-missing-class.jar").contains("acme.DoesNotExist"));
    }

    @Test
    void duplicateNamesFailNamingBothClassesAndJars() throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        TestJars.jar(plugins, "one.jar", Map.of("x.One", TestJars.solverSource("x", "One", "twin", false)), Map.of(SERVICE, "x.One\n"));
        TestJars.jar(plugins, "two.jar", Map.of("y.Two", TestJars.solverSource("y", "Two", "twin", false)), Map.of(SERVICE, "y.Two\n"));
        assertThatThrownBy(() -> Discovery.discover(getClass().getClassLoader(), plugins)).isInstanceOf(PsaException.class)
                .hasMessageContaining("duplicate walk solver name 'twin'").hasMessageContaining("x.One")
                .hasMessageContaining("one.jar").hasMessageContaining("y.Two").hasMessageContaining("two.jar");
    }

    @Test
    void duplicateOfABuiltInNameFailsToo() throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        TestJars.jar(plugins, "clash.jar", Map.of("z.Clash", TestJars.solverSource("z", "Clash", "fake-walk", false)),
                Map.of(SERVICE, "z.Clash\n"));
        assertThatThrownBy(() -> Discovery.discover(getClass().getClassLoader(), plugins))
                .hasMessageContaining("FakeWalkSolverProvider").hasMessageContaining("clash.jar");
    }

    @Test
    void missingPluginFolderIsAClearError() {
        assertThatThrownBy(() -> Discovery.discover(getClass().getClassLoader(), dir.resolve("nope")))
                .hasMessageContaining("plugin folder").hasMessageContaining("nope");
    }
}
