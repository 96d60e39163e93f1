package dev.psa.api.spi;

/** Discovers a {@link WalkSolver} by name (config key {@code rw.solver}). */
public interface WalkSolverProvider extends ComponentProvider<WalkSolver> {
}
