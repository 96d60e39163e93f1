package dev.psa.runtime.discovery;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.WalkSolver;
import dev.psa.api.spi.WalkSolverProvider;

/** A component registered through this module's test META-INF/services: proves discovery end to end. */
public final class FakeWalkSolverProvider implements WalkSolverProvider {
    @Override
    public String name() {
        return "fake-walk";
    }

    @Override
    public WalkSolver create(ComponentConfig config) {
        double gain = config.getDouble("fake-gain", 1.0);
        return (graph, scores, steps) -> scores.mul(gain);
    }
}
