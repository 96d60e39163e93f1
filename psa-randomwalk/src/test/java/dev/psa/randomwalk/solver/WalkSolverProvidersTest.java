package dev.psa.randomwalk.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psa.api.Names;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.api.spi.WalkSolverProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The three solvers are found through META-INF/services under their names. */
class WalkSolverProvidersTest {
    private static Map<String, WalkSolverProvider> discovered() {
        Map<String, WalkSolverProvider> m = new TreeMap<>();
        for (WalkSolverProvider p : ServiceLoader.load(WalkSolverProvider.class)) {
            assertThat(m.put(p.name(), p)).as("duplicate %s", p.name()).isNull();
        }
        return m;
    }

    @Test
    void discoversDenseSparseAndNd4jStencil() {
        Map<String, WalkSolverProvider> m = discovered();
        assertThat(m.keySet()).containsExactly("dense", "nd4j-stencil", "sparse");
        m.values().forEach(p -> {
            assertThat(Names.isValid(p.name())).isTrue();
            assertThat(p.description()).isNotBlank();
        });
        ComponentConfig empty = ComponentConfig.empty().scoped("rw.");
        assertThat(m.get("dense").create(empty)).isInstanceOf(DenseWalkSolver.class);
        assertThat(m.get("sparse").create(empty)).isInstanceOf(SparseStencilWalkSolver.class);
        assertThat(m.get("nd4j-stencil").create(empty)).isInstanceOf(Nd4jStencilWalkSolver.class);
    }

    @Test
    void sparseReadsItsThreadCount() {
        ComponentConfig c = ComponentConfig.ofStrings(Map.of("rw.threads", "3")).scoped("rw.");
        SparseStencilWalkSolver s = (SparseStencilWalkSolver) discovered().get("sparse").create(c);
        assertThat(s.threads()).isEqualTo(3);
        ComponentConfig bad = ComponentConfig.ofStrings(Map.of("rw.threads", "-1")).scoped("rw.");
        assertThatThrownBy(() -> discovered().get("sparse").create(bad)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("rw.threads: must be >= 0");
    }

    @Test
    void aMistypedNameFindsTheRightSuggestion() {
        assertThat(Names.didYouMean("spares", discovered().keySet())).isEqualTo(" Did you mean 'sparse'?");
    }
}
