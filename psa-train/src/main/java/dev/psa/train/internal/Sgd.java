package dev.psa.train.internal;

import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.spi.ParamRole;

/**
 * SGD with PyTorch semantics ({@code torch.optim.SGD}, dampening 0, no Nesterov), per-role
 * learning-rate multipliers and weight decay (REFERENCE.md §Stage 1):
 * {@code d = g + wd·w} (wd only for decayed roles), {@code v = μ·v + d}, {@code w -= lr·mult·v}.
 * With zero-initialised velocity the first step equals PyTorch's {@code v = d}.
 */
public final class Sgd {
    private Sgd() {
    }

    /** Poly learning rate {@code lr · (1 − step/maxStep)^power}, step 0-based, clamped at 0. */
    public static double polyLr(double lr, long step, long maxStep, double power) {
        if (maxStep <= 0) {
            throw new IllegalArgumentException("maxStep must be > 0, got " + maxStep);
        }
        double frac = 1.0 - (double) step / maxStep;
        return lr * Math.pow(Math.max(0.0, frac), power);
    }

    /**
     * Updates one parameter in place.
     *
     * @param w        the parameter (the graph's own array), updated in place
     * @param g        its gradient, same shape
     * @param velocity the momentum buffer, same shape and dtype as w, updated in place
     * @param role     the parameter's role; FROZEN does nothing
     * @param lr       the step's learning rate before the role multiplier
     */
    public static void update(INDArray w, INDArray g, INDArray velocity, ParamRole role, double lr,
                              double weightDecay, double momentum) {
        if (role == ParamRole.FROZEN) {
            return;
        }
        INDArray d = g.dataType() == w.dataType() ? g.dup() : g.castTo(w.dataType());
        if (role.decayed() && weightDecay != 0) {
            d.addi(w.mul(weightDecay));
        }
        velocity.muli(momentum).addi(d);
        w.subi(velocity.mul(lr * role.lrMultiplier()));
    }
}
