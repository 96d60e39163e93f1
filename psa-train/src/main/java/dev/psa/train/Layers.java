package dev.psa.train;

import static java.util.Objects.requireNonNull;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Training-time layers that ND4J's SameDiff lacks in a usable form. */
public final class Layers {
    private Layers() {
    }

    /**
     * Element-wise inverted dropout (PyTorch {@code nn.Dropout}): {@code x · mask / (1 − p)} with
     * mask ~ Bernoulli(1 − p), one mask per graph execution shared by the forward and backward
     * pass. In ND4J 1.0.0-M2.1 {@code sd.nn.dropout} has no derivative and {@code dropoutInverted}
     * fails shape inference on dynamic shapes, and random custom ops (e.g. random_bernoulli) draw
     * from a per-graph generator that ignores the global seed and repeats one mask every step. So
     * the mask is ND4J's legacy dropout applied to a tensor of ones filled from x's (integer) shape:
     * it draws from {@code Nd4j.getRandom()}, which the {@link Trainer} seeds before every step
     * (reproducible, resumable), and backprop never differentiates it because it depends on x only
     * through an integer shape. Build inference graphs without it (or use p = 0).
     *
     * @param name unique name of the output; intermediates are named {@code name + "/..."}
     * @param x    any shape (dynamic), float
     * @param p    drop probability in [0, 1)
     * @return same shape and dtype as x, named {@code name}
     */
    public static SDVariable dropout(SameDiff sd, String name, SDVariable x, double p) {
        requireNonNull(sd, "sd is null");
        requireNonNull(name, "name is null");
        requireNonNull(x, "x is null");
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        if (p == 0) {
            return sd.identity(name, x);
        }
        double keep = 1 - p;
        SDVariable ones = sd.fill(name + "/ones", sd.shape(name + "/shape", x), x.dataType(), 1.0);
        SDVariable mask = sd.nn().dropout(name + "/mask", ones, keep);
        return x.mul(name + "/kept", mask).div(name, keep);
    }
}
