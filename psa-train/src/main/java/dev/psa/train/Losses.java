package dev.psa.train;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Loss functions built into a SameDiff graph. */
public final class Losses {
    private Losses() {
    }

    /**
     * Multi-label soft margin loss (PyTorch {@code MultiLabelSoftMarginLoss}, the PSA classifier
     * loss, REFERENCE.md §Stage 1): the sigmoid binary cross-entropy
     * {@code −[y·log σ(x) + (1 − y)·log(1 − σ(x))]} averaged over classes and batch.
     * <p>
     * Computed in the overflow-free form {@code softplus(x) − x·y} with
     * {@code softplus(x) = x/2 + |x|/2 + log1p(exp(−|x|))}; the split into an odd and an even part
     * keeps the gradient exact at {@code x = 0} ({@code σ(0) − y}), where {@code max(x, 0)} and
     * {@code |x|} have kinks.
     *
     * @param name    name of the scalar output; intermediates are named {@code name + "/..."}
     * @param logits  [N, C] float, any real values
     * @param targets [N, C] same dtype, in [0, 1] (usually 0/1 image labels without background)
     * @return scalar loss variable named {@code name}
     */
    public static SDVariable multiLabelSoftMargin(SameDiff sd, String name, SDVariable logits, SDVariable targets) {
        requireNonNull(sd, "sd is null");
        requireNonNull(name, "name is null");
        requireNonNull(logits, "logits is null");
        requireNonNull(targets, "targets is null");
        long[] ls = logits.getShape();
        long[] ts = targets.getShape();
        if (ls != null && ls.length != 2) {
            throw new IllegalArgumentException("logits: expected [N, C], got " + Arrays.toString(ls));
        }
        if (ls != null && ts != null && ls.length == ts.length) {
            for (int i = 0; i < ls.length; i++) {
                if (ls[i] >= 0 && ts[i] >= 0 && ls[i] != ts[i]) {
                    throw new IllegalArgumentException("targets: expected [N, C] = " + Arrays.toString(ls)
                            + " (the logits' shape), got " + Arrays.toString(ts));
                }
            }
        } else if (ls != null && ts != null) {
            throw new IllegalArgumentException("targets: expected [N, C] = " + Arrays.toString(ls)
                    + " (the logits' shape), got " + Arrays.toString(ts));
        }
        SDVariable abs = sd.math.abs(name + "/abs", logits);
        SDVariable tail = sd.math.log1p(name + "/log1pexp", sd.math.exp(name + "/exp", abs.neg(name + "/negabs")));
        SDVariable softplus = logits.add(name + "/odd_even", abs).mul(name + "/half", 0.5).add(name + "/softplus", tail);
        SDVariable perElement = softplus.sub(name + "/bce", logits.mul(name + "/xy", targets));
        return sd.mean(name, perElement);
    }
}
