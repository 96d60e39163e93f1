package dev.psa.randomwalk;

import static java.util.Objects.requireNonNull;

import dev.psa.api.AffinityGraph;
import dev.psa.api.CamSet;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Shapes;
import dev.psa.api.spi.WalkSolver;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stage 4 for one image (REFERENCE.md §Stage 4): score preparation from the CAMs, the random walk
 * with A = W^β and T = D⁻¹A for t = 2^logt steps, bilinear upsampling, crop and argmax. The stage
 * runner (psa-cli) does the loop over images, the files, resumability and the optional CRF
 * ({@link RwConfig#crf()}, on {@link WalkScores#upsampled()} of the walked scores).
 */
public final class PseudoLabeler {
    private PseudoLabeler() {
    }

    /**
     * Everything one image's walk produced.
     *
     * @param initial the prepared scores before the walk
     * @param walked  the walked scores (same class ids)
     * @param labels  the pseudo label, class ids 0..K-1, H × W
     */
    public record Result(WalkScores initial, WalkScores walked, LabelMap labels) {
        public Result {
            requireNonNull(initial, "initial is null");
            requireNonNull(walked, "walked is null");
            requireNonNull(labels, "labels is null");
        }
    }

    /**
     * @param cams       present-class CAMs of the image, [C, H, W] at full resolution
     * @param affinity   the AffinityNet affinities W (before ^β) on the image's stride-8 grid
     *                   [O, ceil(H/8), ceil(W/8)], stencil radius {@code cfg.radius()}
     * @param numClasses K including background
     * @param cfg        α, β, t
     * @param solver     the walk solver
     * @return the pseudo label (class ids, background 0)
     */
    public static LabelMap label(CamSet cams, AffinityGraph affinity, int numClasses, RwConfig cfg, WalkSolver solver) {
        return run(cams, affinity, numClasses, cfg, solver).labels();
    }

    /** Like {@link #label} and also returns the scores before and after the walk. */
    public static Result run(CamSet cams, AffinityGraph affinity, int numClasses, RwConfig cfg, WalkSolver solver) {
        requireNonNull(cams, "cams is null");
        requireNonNull(affinity, "affinity is null");
        requireNonNull(cfg, "cfg is null");
        requireNonNull(solver, "solver is null");
        if (affinity.stencil().radius() != cfg.radius()) {
            throw new PsaException("affinity graph of " + cams.id() + " has radius " + affinity.stencil().radius()
                    + " but rw.radius = " + cfg.radius() + "; set rw.radius to the radius the affinities were computed with");
        }
        WalkScores initial = WalkScores.prepare(cams, numClasses, cfg.alpha());
        if (affinity.height() != initial.gridHeight() || affinity.width() != initial.gridWidth()) {
            throw new PsaException("affinity graph of " + cams.id() + ": expected grid [h, w] = [" + initial.gridHeight()
                    + ", " + initial.gridWidth() + "] for a " + cams.width() + "x" + cams.height() + " image (stride "
                    + WalkScores.STRIDE + "), got [" + affinity.height() + ", " + affinity.width() + "]");
        }
        WalkScores walked = walk(initial, cfg.referencePairs() ? ReferencePairs.restrict(affinity) : affinity, cfg.beta(),
                cfg.steps(), solver);
        return new Result(initial, walked, walked.labels());
    }

    /**
     * The walk alone: {@code vec(M*_c) = T^steps · vec(M_c)} with A = W^β.
     *
     * @param affinity W on the scores' grid, [O, h, w]
     */
    public static WalkScores walk(WalkScores scores, AffinityGraph affinity, double beta, int steps, WalkSolver solver) {
        requireNonNull(scores, "scores is null");
        requireNonNull(affinity, "affinity is null");
        requireNonNull(solver, "solver is null");
        if (!(beta > 0)) {
            throw new IllegalArgumentException("beta must be > 0, got " + beta);
        }
        AffinityGraph a = affinity.pow(beta);
        INDArray walked = solver.walk(a, scores.scores(), steps);
        Shapes.check("walked scores (from " + solver.getClass().getSimpleName() + ")", "[K', h, w]", walked,
                scores.scores().shape());
        return scores.withScores(walked.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
    }
}
