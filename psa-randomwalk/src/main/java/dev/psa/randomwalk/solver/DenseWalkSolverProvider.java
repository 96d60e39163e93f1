package dev.psa.randomwalk.solver;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.WalkSolver;
import dev.psa.api.spi.WalkSolverProvider;

/** {@code dense}: {@link DenseWalkSolver} in float32, the reference formulation (N×N matrices). */
public final class DenseWalkSolverProvider implements WalkSolverProvider {
    @Override
    public String name() {
        return "dense";
    }

    @Override
    public String description() {
        return "reference formulation: dense N x N transition matrix, T^t by repeated squaring on ND4J (O(N^2) memory)";
    }

    @Override
    public WalkSolver create(ComponentConfig config) {
        return new DenseWalkSolver();
    }
}
