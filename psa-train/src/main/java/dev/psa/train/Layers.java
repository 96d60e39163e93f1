package dev.psa.train;

import static java.util.Objects.requireNonNull;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Training-time layers that ND4J's SameDiff lacks in a usable form. */
public final class Layers {
    /**
     * Name of the int32 scalar VARIABLE that seeds every {@link #dropout} mask of a graph. The
     * {@link Trainer} sets it before each step (from the run seed and the step), so masks are
     * reproducible and a resumed run draws the same masks; it is not a parameter (no role).
     */
    public static final String DROPOUT_SEED = "psa.dropout.seed";

    private static final int GOLDEN = 0x9E3779B9;

    private Layers() {
    }

    /**
     * Inverted dropout: {@code x · mask}, mask = Bernoulli(1 − p) / (1 − p) per element, the same
     * mask in the forward and backward pass of a step. Why not ND4J's own: in 1.0.0-M2.1
     * {@code sd.nn.dropout} has no derivative, and random custom ops inside a SameDiff session
     * draw from a per-graph generator that ignores {@code Nd4j.getRandom()}'s seed and repeats the
     * same mask every step. Here the mask is a counter-based hash of (element index, layer name,
     * {@link #DROPOUT_SEED}) in int32 arithmetic, so it is deterministic given the seed and needs
     * no random generator. Build inference graphs without dropout, or use p = 0.
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
        SDVariable seed = sd.hasVariable(DROPOUT_SEED) ? sd.getVariable(DROPOUT_SEED)
                : sd.var(DROPOUT_SEED, Nd4j.scalar(DataType.INT, 0));
        SDVariable shape = sd.shape(name + "/shape", x);
        SDVariable length = sd.castTo(name + "/length", sd.prod(name + "/size", shape), DataType.INT);
        SDVariable index = sd.range(name + "/index", sd.constant(name + "/zero", Nd4j.scalar(DataType.INT, 0)),
                length, sd.constant(name + "/one", Nd4j.scalar(DataType.INT, 1)), DataType.INT);
        int salt = mix(name.hashCode());
        SDVariable h = index.mul(name + "/h0", GOLDEN).add(name + "/h1", seed).add(name + "/h2", salt);
        h = xorShift(sd, name + "/a", h, 16);
        h = h.mul(name + "/h3", 0x7feb352d);
        h = xorShift(sd, name + "/b", h, 15);
        h = h.mul(name + "/h4", 0x846ca68b);
        h = xorShift(sd, name + "/c", h, 16);
        // the low 24 bits are uniform in [0, 2^24)
        SDVariable u = sd.bitwise.and(h, sd.constant(name + "/m24", Nd4j.scalar(DataType.INT, (1 << 24) - 1)));
        int threshold = (int) Math.round((1 - p) * (1 << 24));
        SDVariable keep = sd.lt(name + "/keep", u, threshold);
        SDVariable mask = sd.reshape(name + "/mask_flat_shape", sd.castTo(name + "/keepf", keep, x.dataType()), shape)
                .div(name + "/mask", 1 - p);
        return x.mul(name, mask);
    }

    /** {@code h ^ (h >>> k)}, the logical shift done as an arithmetic shift with the sign bits masked off. */
    private static SDVariable xorShift(SameDiff sd, String name, SDVariable h, int k) {
        SDVariable shifted = sd.bitwise.rightShift(h, sd.constant(name + "/k", Nd4j.scalar(DataType.INT, k)));
        SDVariable logical = sd.bitwise.and(shifted, sd.constant(name + "/lowmask",
                Nd4j.scalar(DataType.INT, (int) ((1L << (32 - k)) - 1))));
        return sd.bitwise.xor(h, logical);
    }

    private static int mix(int v) {
        v ^= v >>> 16;
        v *= 0x7feb352d;
        v ^= v >>> 15;
        v *= 0x846ca68b;
        v ^= v >>> 16;
        return v;
    }
}
