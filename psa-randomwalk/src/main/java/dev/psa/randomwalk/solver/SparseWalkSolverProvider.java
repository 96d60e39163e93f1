package dev.psa.randomwalk.solver;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;
import dev.psa.api.spi.WalkSolver;
import dev.psa.api.spi.WalkSolverProvider;

/** {@code sparse}: {@link SparseStencilWalkSolver}; reads {@code threads} (default 0 = one per processor). */
public final class SparseWalkSolverProvider implements WalkSolverProvider {
    @Override
    public String name() {
        return "sparse";
    }

    @Override
    public String description() {
        return "t stencil steps in plain Java over the non-zero channels, multi-threaded, O(N) memory (default)";
    }

    @Override
    public WalkSolver create(ComponentConfig config) {
        int threads = config.getInt("threads", 0);
        Validator v = new Validator(config.prefix());
        v.check(threads >= 0, "threads", "must be >= 0 (0 = one per processor), got " + threads);
        v.throwIfAny();
        return new SparseStencilWalkSolver(threads, 256);
    }
}
