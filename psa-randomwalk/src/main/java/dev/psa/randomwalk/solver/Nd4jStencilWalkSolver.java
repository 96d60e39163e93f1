package dev.psa.randomwalk.solver;

import dev.psa.api.AffinityGraph;
import dev.psa.api.spi.WalkSolver;
import dev.psa.randomwalk.internal.FloatArrays;
import dev.psa.randomwalk.internal.Transition;
import dev.psa.randomwalk.internal.WalkInputs;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Im2col;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import java.util.stream.IntStream;

/**
 * The {@code nd4j-stencil} solver: the sparse walk of REFERENCE.md §Stage 4 written with ND4J ops
 * only, so it runs unchanged on the CUDA backend. The transition planes are laid out as a
 * (2r+1)×(2r+1) window per cell (r = the stencil's reach, 4 for γ = 5; window positions outside the
 * radius carry 0), coefficients [(2r+1)², N]. One step is three ops on arrays allocated once per
 * call: im2col of the scores (zero padding r) → [C, (2r+1)², N], a broadcast multiply by the
 * coefficients, a sum over the window → [C, N]. Only non-zero channels are walked.
 */
public final class Nd4jStencilWalkSolver implements WalkSolver {
    @Override
    public INDArray walk(AffinityGraph affinity, INDArray scores, int steps) {
        WalkInputs.check("nd4j-stencil", affinity, scores, steps);
        if (steps == 0) {
            return WalkInputs.copy(scores);
        }
        Transition tr = Transition.of(affinity);
        int h = tr.height();
        int w = tr.width();
        int n = tr.cells();
        int channels = (int) scores.size(0);
        float[] data = FloatArrays.of(scores);
        boolean[] nonZero = WalkInputs.nonZeroChannels("nd4j-stencil", data, channels, n);
        int[] active = IntStream.range(0, channels).filter(c -> nonZero[c]).toArray();
        INDArray out = Nd4j.zeros(DataType.FLOAT, channels, h, w);
        if (active.length == 0) {
            return out;
        }
        int r = tr.reach();
        int k = 2 * r + 1;
        float[] window = new float[k * k * n];
        for (int p = 0; p < tr.planes(); p++) {
            int pos = (tr.dy(p) + r) * k + tr.dx(p) + r;
            System.arraycopy(tr.plane(p), 0, window, pos * n, n);
        }
        INDArray coef = FloatArrays.create(window, k * k, n);

        float[] start = new float[active.length * n];
        for (int a = 0; a < active.length; a++) {
            System.arraycopy(data, active[a] * n, start, a * n, n);
        }
        int ca = active.length;
        INDArray x = FloatArrays.create(start, 1, ca, h, w);
        INDArray next = Nd4j.create(DataType.FLOAT, 1, ca, h, w);
        INDArray cols = Nd4j.create(DataType.FLOAT, 1, ca, k, k, h, w);
        INDArray cols3 = cols.reshape(ca, k * k, n);
        Conv2DConfig conv = Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1).pH(r).pW(r).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
        for (int step = 0; step < steps; step++) {
            Im2col im2col = new Im2col(x, conv);
            im2col.addOutputArgument(cols);
            Nd4j.exec(im2col);
            Nd4j.getExecutioner().exec(new BroadcastMulOp(cols3, coef, cols3, 1, 2));
            cols3.sum(next.reshape(ca, n), 1);
            INDArray t = x;
            x = next;
            next = t;
        }
        INDArray walked = x.reshape(ca, h, w);
        for (int a = 0; a < ca; a++) {
            out.putSlice(active[a], walked.slice(a));
        }
        return out;
    }
}
