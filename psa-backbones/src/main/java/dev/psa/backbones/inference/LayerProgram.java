package dev.psa.backbones.inference;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import dev.psa.api.spi.EagerInference;

/**
 * The layers a backbone added to its SameDiff graph, in build order, by variable name (recorded by the
 * backbones' graph builder next to each op it adds). {@link #compile} turns the layers that lead to one
 * variable into an {@link EagerForward}: the backbone's inference graph run op by op, its parameters
 * read (and frozen batch norms folded) once.
 */
public final class LayerProgram implements EagerInference {
    private final List<Step> steps = new ArrayList<>();
    private final Set<String> outputs = new HashSet<>();

    /** A convolution {@code out = conv(in, weight) [+ bias]} (YXIO weight {@code [k, k, in, out]}). */
    public void conv(SDVariable in, SDVariable out, String weight, String bias, int k, int stride, int dilation,
                     boolean same) {
        add(new Step.Conv(name(in), name(out), requireNonNull(weight, "weight is null"), bias, k, stride, dilation,
                same));
    }

    /** A frozen batch norm with the named per-channel parameters. */
    public void batchNorm(SDVariable in, SDVariable out, String gamma, String beta, String mean, String var,
                          double eps) {
        add(new Step.BatchNorm(name(in), name(out), gamma, beta, mean, var, eps));
    }

    public void relu(SDVariable in, SDVariable out) {
        add(new Step.Relu(name(in), name(out)));
    }

    /** {@code out = a + b}, same shapes. */
    public void add(SDVariable a, SDVariable b, SDVariable out) {
        add(new Step.Add(name(a), name(b), name(out)));
    }

    public void maxPool(SDVariable in, SDVariable out, int k, int stride, int pad) {
        add(new Step.MaxPool(name(in), name(out), k, stride, pad));
    }

    public void dropout(SDVariable in, SDVariable out) {
        add(new Step.Dropout(name(in), name(out)));
    }

    /** How many layers were recorded. */
    public int size() {
        return steps.size();
    }

    @Override
    public EagerForward compile(SameDiff sd, String output) {
        return compile(sd, output, DataType.FLOAT);
    }

    @Override
    public EagerForward compile(SameDiff sd, String output, DataType type) {
        requireNonNull(sd, "sd is null");
        requireNonNull(output, "output is null");
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("eager inference runs in FLOAT or DOUBLE, not " + type);
        }
        return EagerCompiler.compile(List.copyOf(steps), sd, output, type);
    }

    private void add(Step step) {
        if (!outputs.add(step.output())) {
            throw new IllegalStateException("variable '" + step.output() + "' recorded twice");
        }
        steps.add(step);
    }

    private static String name(SDVariable v) {
        return requireNonNull(v, "variable is null").name();
    }
}
