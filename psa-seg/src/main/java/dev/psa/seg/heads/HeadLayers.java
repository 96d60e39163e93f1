package dev.psa.seg.heads;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.spi.ParamRole;
import dev.psa.api.spi.SegHeadGraph;

/**
 * Convolutions of the segmentation heads: NCHW, YXIO weights ([kh, kw, in, out]), explicit symmetric
 * padding {@code dilation·(k−1)/2} (the output keeps the input's h × w), a bias, parameters as new
 * layers (10× / 20× learning rate). Initial weights are Gaussian with a given standard deviation, drawn
 * from a generator seeded by the build seed and the layer name, so a build is reproducible.
 */
final class HeadLayers {
    private final SameDiff sd;
    private final long seed;
    private final Map<String, ParamRole> roles = new LinkedHashMap<>();
    private final List<SegHeadGraph.DropoutMask> masks = new ArrayList<>();

    HeadLayers(SameDiff sd, long seed) {
        this.sd = requireNonNull(sd, "sd is null");
        this.seed = seed;
    }

    Map<String, ParamRole> roles() {
        return roles;
    }

    List<SegHeadGraph.DropoutMask> masks() {
        return masks;
    }

    /** Element-wise dropout through a mask placeholder {@code name + "/mask"} [N, channels, h, w]. */
    SDVariable dropout(String name, SDVariable x, int channels, double p) {
        SDVariable mask = sd.placeHolder(name + "/mask", DataType.FLOAT, -1, channels, -1, -1);
        masks.add(new SegHeadGraph.DropoutMask(mask.name(), channels, p));
        return x.mul(name, mask);
    }

    /**
     * @param std standard deviation of the initial weights; NaN = He-normal ({@code sqrt(2 / fan_in)})
     * @return [N, out, h, w]
     */
    SDVariable conv(String name, SDVariable x, int in, int out, int k, int dilation, double std) {
        double s = Double.isNaN(std) ? Math.sqrt(2.0 / ((double) in * k * k)) : std;
        SDVariable w = param(name + ".weight", gaussian(name, new long[] {k, k, in, out}, s), ParamRole.NEW_WEIGHT);
        SDVariable b = param(name + ".bias", Nd4j.zeros(DataType.FLOAT, out), ParamRole.NEW_BIAS);
        int pad = dilation * (k - 1) / 2;
        Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1).dH(dilation).dW(dilation).pH(pad).pW(pad)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO).build();
        return sd.cnn().conv2d(name + "/conv", x, w, b, cfg);
    }

    private SDVariable param(String name, INDArray value, ParamRole role) {
        if (sd.hasVariable(name)) {
            throw new IllegalStateException("variable '" + name + "' already exists in the graph");
        }
        roles.put(name, role);
        return sd.var(name, value);
    }

    private INDArray gaussian(String name, long[] shape, double std) {
        Random rng = new Random(seed * 0x9E3779B97F4A7C15L + name.hashCode());
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextGaussian() * std);
        }
        return Nd4j.create(v, shape, DataType.FLOAT);
    }
}
