package dev.psa.backbones.internal;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.enums.WeightsFormat;
import dev.psa.api.NativeHelpers;
import dev.psa.api.spi.ParamRole;
import dev.psa.backbones.inference.LayerProgram;

/**
 * Adds layers to a SameDiff graph with explicit, unique names and records each parameter's role.
 * Parameters are named like the authors' PyTorch state_dict keys ({@code <layer>.weight},
 * {@code <layer>.bias}, {@code <bn>.running_mean}, …); op outputs get a {@code /}-suffix
 * ({@code <layer>/conv}) so they never clash with a parameter. Conv weights are YXIO
 * ([kh, kw, in, out]); initial values come from a generator seeded by the build seed and the
 * parameter's index, so a build is reproducible. Every layer is also recorded in a {@link LayerProgram},
 * the backbone's eager inference path.
 */
public final class GraphBuilder {
    private final SameDiff sd;
    private final long seed;
    private final boolean initialise;
    private final Map<String, ParamRole> roles = new LinkedHashMap<>();
    private final LayerProgram program = new LayerProgram();
    private long counter;

    /** Initialises conv weights He-normal from {@code seed}. */
    public GraphBuilder(SameDiff sd, long seed) {
        this(sd, seed, true);
    }

    /**
     * @param initialise false allocates conv weights without drawing them (values undefined; see
     *                   {@link dev.psa.api.spi.BuildOptions#initialise()}): building ResNet-38 for its
     *                   shapes then costs no 105 M random draws
     */
    public GraphBuilder(SameDiff sd, long seed, boolean initialise) {
        this.sd = requireNonNull(sd, "sd is null");
        this.seed = seed;
        this.initialise = initialise;
        NativeHelpers.forGraphs();
    }

    public SameDiff sd() {
        return sd;
    }

    /** The layers added so far, for eager inference. */
    public LayerProgram program() {
        return program;
    }

    /** Every parameter created so far with its role, in creation order. */
    public Map<String, ParamRole> roles() {
        return roles;
    }

    /**
     * A 2-D convolution, NCHW, YXIO weights, He-normal initialised (std = sqrt(2 / fan_in)).
     * Padding is explicit and symmetric ({@code dilation·(k−1)/2}, like PyTorch), which gives
     * ceil(size/stride) outputs for odd kernels; {@code same} selects SAME mode instead (needed
     * for even kernels).
     *
     * @param name    layer name; creates {@code name.weight} and, with {@code bias}, {@code name.bias}
     * @param x       [N, in, H, W]
     * @return [N, out, H', W']
     */
    public SDVariable conv(String name, SDVariable x, int in, int out, int k, int stride, int dilation,
                           boolean bias, ParamRole weightRole, ParamRole biasRole, boolean same) {
        SDVariable w = param(name + ".weight", heNormal(new long[] {k, k, in, out}, (long) in * k * k), weightRole);
        Conv2DConfig.Conv2DConfigBuilder cfg = Conv2DConfig.builder()
                .kH(k).kW(k).sH(stride).sW(stride).dH(dilation).dW(dilation)
                .dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO);
        if (same) {
            cfg.paddingMode(PaddingMode.SAME);
        } else {
            int pad = dilation * (k - 1) / 2;
            cfg.pH(pad).pW(pad).paddingMode(PaddingMode.VALID);
        }
        SDVariable y;
        if (bias) {
            SDVariable b = param(name + ".bias", Nd4j.zeros(DataType.FLOAT, out), biasRole);
            y = sd.cnn().conv2d(name + "/conv", x, w, b, cfg.build());
        } else {
            y = sd.cnn().conv2d(name + "/conv", x, w, cfg.build());
        }
        program.conv(x, y, w.name(), bias ? name + ".bias" : null, k, stride, dilation, same);
        return y;
    }

    /** Convolution without bias, explicit symmetric padding. */
    public SDVariable conv(String name, SDVariable x, int in, int out, int k, int stride, int dilation, ParamRole role) {
        return conv(name, x, in, out, k, stride, dilation, false, role, role, false);
    }

    /**
     * Inference-mode batch norm from running statistics (a per-channel affine map) (REFERENCE.md: all BN frozen), eps 1e-5.
     * Creates {@code name.weight}, {@code name.bias}, {@code name.running_mean},
     * {@code name.running_var}, all {@link ParamRole#FROZEN}.
     *
     * @param x [N, c, H, W]
     */
    public SDVariable batchNorm(String name, SDVariable x, int c) {
        SDVariable gamma = param(name + ".weight", Nd4j.ones(DataType.FLOAT, c), ParamRole.FROZEN);
        SDVariable beta = param(name + ".bias", Nd4j.zeros(DataType.FLOAT, c), ParamRole.FROZEN);
        SDVariable mean = param(name + ".running_mean", Nd4j.zeros(DataType.FLOAT, c), ParamRole.FROZEN);
        SDVariable var = param(name + ".running_var", Nd4j.ones(DataType.FLOAT, c), ParamRole.FROZEN);
        // y = x·γ/√(var+ε) + (β − mean·γ/√(var+ε)); written out because SameDiff's batchNorm op
        // cannot be differentiated in 1.0.0-M2.1 (its derivative op is built without an axis).
        SDVariable scale = gamma.div(name + "/scale", sd.math().sqrt(name + "/std", var.add(name + "/var_eps", 1e-5)));
        SDVariable shift = beta.sub(name + "/shift", mean.mul(name + "/mean_scaled", scale));
        SDVariable y = x.mul(name + "/scaled", sd.reshape(name + "/scale4", scale, 1, c, 1, 1));
        SDVariable out = y.add(name + "/bn", sd.reshape(name + "/shift4", shift, 1, c, 1, 1));
        program.batchNorm(x, out, gamma.name(), beta.name(), mean.name(), var.name(), 1e-5);
        return out;
    }

    public SDVariable relu(String name, SDVariable x) {
        SDVariable y = sd.nn().relu(name, x, 0);
        program.relu(x, y);
        return y;
    }

    /** {@code a + b} (same shapes). */
    public SDVariable add(String name, SDVariable a, SDVariable b) {
        SDVariable y = sd.math().add(name, a, b);
        program.add(a, b, y);
        return y;
    }

    /**
     * Element-wise inverted dropout (kept values scaled by 1/(1−rate), like PyTorch); the caller
     * adds it only to training graphs. The mask is ND4J's legacy dropout of a ones tensor of x's
     * (dynamic) shape: it draws from {@code Nd4j.getRandom()} (so the trainer's per-step seed
     * makes it reproducible) and, as it depends on x only through an integer shape, backprop
     * never asks for its gradient. ({@code sd.nn().dropoutInverted} fails shape inference on
     * placeholders in 1.0.0-M2.1, and {@code sd.nn().dropout} has no gradient.)
     */
    public SDVariable dropout(String name, SDVariable x, double rate) {
        double keep = 1 - rate;
        SDVariable ones = sd.fill(name + "/ones", x.shape(), DataType.FLOAT, 1.0);
        SDVariable mask = sd.nn().dropout(name + "/mask", ones, keep);
        SDVariable y = x.mul(name + "/kept", mask).div(name, keep);
        program.dropout(x, y);
        return y;
    }

    /** Max pooling k×k, explicit symmetric padding (padded cells never win). */
    public SDVariable maxPool(String name, SDVariable x, int k, int stride, int pad) {
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad)
                .dH(1).dW(1).type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.VALID).isNHWC(false).build();
        SDVariable y = sd.cnn().maxPooling2d(name, x, cfg);
        program.maxPool(x, y, k, stride, pad);
        return y;
    }

    /** Creates a parameter variable with the given initial value and records its role. */
    public SDVariable param(String name, INDArray value, ParamRole role) {
        if (roles.containsKey(name) || sd.hasVariable(name)) {
            throw new IllegalStateException("variable '" + name + "' already exists in the graph");
        }
        roles.put(name, role);
        return sd.var(name, value);
    }

    private INDArray heNormal(long[] shape, long fanIn) {
        if (!initialise) {
            return Nd4j.createUninitialized(DataType.FLOAT, shape);
        }
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed * 0x9E3779B97F4A7C15L + (++counter));
        INDArray w = Nd4j.randn(rng, shape).castTo(DataType.FLOAT);
        return w.muli(Math.sqrt(2.0 / fanIn));
    }
}
