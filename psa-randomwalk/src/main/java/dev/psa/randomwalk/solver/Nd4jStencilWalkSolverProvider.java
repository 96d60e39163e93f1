package dev.psa.randomwalk.solver;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.WalkSolver;
import dev.psa.api.spi.WalkSolverProvider;

/** {@code nd4j-stencil}: {@link Nd4jStencilWalkSolver}, the stencil walk as ND4J ops (runs on CUDA). */
public final class Nd4jStencilWalkSolverProvider implements WalkSolverProvider {
    @Override
    public String name() {
        return "nd4j-stencil";
    }

    @Override
    public String description() {
        return "t stencil steps as ND4J ops (im2col, broadcast multiply, sum); runs unchanged on the CUDA backend";
    }

    @Override
    public WalkSolver create(ComponentConfig config) {
        return new Nd4jStencilWalkSolver();
    }
}
