package dev.psa.affinity;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.AffinityStencil;
import dev.psa.api.NativeHelpers;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneGraph;
import dev.psa.api.spi.BuildOptions;
import dev.psa.api.spi.FeatureTap;
import dev.psa.api.spi.ParamRole;

/**
 * AffinityNet (REFERENCE.md §Stage 3, PSA §3.2) on any {@link Backbone}, as a SameDiff graph.
 *
 * <p>Head: each of the backbone's three affinity taps goes through a 1×1 conv without bias
 * ({@code f8_3}, {@code f8_4}, {@code f8_5}: 64, 128, 256 channels by default), GroupNorm when
 * {@link Backbone#groupNormInAffinityHead()} (VGG16; {@code gn8_3..5}, 8 channels per group), and
 * ELU; the three are concatenated (448 channels) and go through a 1×1 conv 448→448 without bias
 * ({@code f9}) and ELU, giving f. The four convs are new layers ({@link ParamRole#NEW_WEIGHT});
 * initialisation as the reference: He-normal for {@code f8_*}, Xavier-uniform with gain 4 for
 * {@code f9}. Parameter names are the reference checkpoint keys, so released AffinityNet weights
 * import by name.
 *
 * <p>Affinity: {@code W = exp(−mean_c |f_i − f_j|)} for every stencil offset, computed with
 * shifted slices of f padded by γ−1 cells (left, right, bottom), giving {@code [N, O, h, w]}; an
 * entry whose partner lies in the padding is meaningless and must be masked by the caller (pair
 * class IGNORE in training, {@link AffinityLabels#partnerInside} at inference).
 *
 * <p>Loss: {@code Σ weight · ℓ} with {@code ℓ = −log(W + ε)} for positive pairs and
 * {@code −log(1 + ε − W)} for negatives; the weights come from a {@link dev.psa.api.spi.PairSampler}
 * and are fed as a placeholder, so samplers change nothing in the graph.
 */
public final class AffinityNet {
    /** Placeholder: [N, 3, H, W] float32, normalised with the backbone's {@link Backbone#normalization()}. */
    public static final String IMAGE = "aff/image";
    /** Placeholder: [N, O, h, w] float32 pair weights from the sampler, ≥ 0. */
    public static final String PAIR_WEIGHTS = "aff/pair_weights";
    /** Placeholder: [N, O, h, w] float32, 1 for positive pairs (bg+ or fg+), 0 otherwise. */
    public static final String PAIR_POSITIVE = "aff/pair_positive";
    /** Output: f, [N, D, h, w] with D = the sum of the head channels (448). */
    public static final String FEATURES = "aff/features";
    /** Output: W, [N, O, h, w] in (0, 1]. */
    public static final String AFFINITY = "aff/affinity";
    /** Output: the scalar loss. */
    public static final String LOSS = "aff/loss";
    /** Reference checkpoint keys of the head's convs, shallow to deep, then the fusion conv. */
    public static final List<String> HEAD_CONVS = List.of("f8_3", "f8_4", "f8_5", "f9");

    private static final double GROUP_NORM_EPS = 1e-5;

    /**
     * A built AffinityNet.
     *
     * @param sd       the graph
     * @param roles    every parameter (backbone and head) with its role
     * @param stencil  the pair offsets of {@link #AFFINITY}
     * @param training whether dropout is in and the loss was added
     */
    public record Built(SameDiff sd, Map<String, ParamRole> roles, AffinityStencil stencil, boolean training) {
        public Built {
            requireNonNull(sd, "sd is null");
            roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
            requireNonNull(stencil, "stencil is null");
        }

        /** @return the current value of every parameter, by name (copies) */
        public Map<String, INDArray> params() {
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (String name : roles.keySet()) {
                out.put(name, sd.getArrForVarName(name).dup());
            }
            return out;
        }
    }

    private AffinityNet() {
    }

    /**
     * Builds backbone + head (+ loss when {@code training}) into a new graph.
     *
     * @param backbone     the feature extractor (built with {@link BuildOptions.Purpose#AFFINITY})
     * @param stencil      the pair offsets
     * @param headChannels 3 channel counts of the tap convs
     * @param eps          ε of the loss
     * @param training     true: dropout and the loss with its placeholders; false: inference graph
     * @param seed         seed of the random initialisation
     */
    public static Built build(Backbone backbone, AffinityStencil stencil, int[] headChannels, double eps,
                              boolean training, long seed) {
        requireNonNull(backbone, "backbone is null");
        requireNonNull(stencil, "stencil is null");
        NativeHelpers.forGraphs(); // a plugin backbone's dilated convolutions: no oneDNN helpers in graphs
        SameDiff sd = SameDiff.create();
        SDVariable image = sd.placeHolder(IMAGE, DataType.FLOAT, -1, 3, -1, -1);
        BackboneGraph bg = backbone.build(sd, image, new BuildOptions(BuildOptions.Purpose.AFFINITY, training, seed));
        Map<String, ParamRole> roles = new LinkedHashMap<>(bg.params());
        SDVariable f = head(sd, bg.affinityTaps(), headChannels, backbone.groupNormInAffinityHead(), seed, roles);
        SDVariable w = affinity(sd, f, stencil);
        if (training) {
            SDVariable weights = sd.placeHolder(PAIR_WEIGHTS, DataType.FLOAT, -1, stencil.size(), -1, -1);
            SDVariable positive = sd.placeHolder(PAIR_POSITIVE, DataType.FLOAT, -1, stencil.size(), -1, -1);
            SDVariable loss = loss(sd, w, weights, positive, eps);
            sd.setLossVariables(loss);
        }
        return new Built(sd, roles, stencil, training);
    }

    /**
     * Adds the head on three taps.
     *
     * @param taps      three [N, C_i, h, w] feature maps of one stride
     * @param channels  the tap convs' output channels
     * @param groupNorm GroupNorm (8 channels per group) between each tap conv and its ELU
     * @param seed      initialisation seed
     * @param roles     receives the head's parameters with their roles
     * @return f, [N, Σ channels, h, w] named {@link #FEATURES}, in the taps' data type
     */
    public static SDVariable head(SameDiff sd, List<FeatureTap> taps, int[] channels, boolean groupNorm, long seed,
                                  Map<String, ParamRole> roles) {
        requireNonNull(sd, "sd is null");
        requireNonNull(taps, "taps is null");
        requireNonNull(roles, "roles is null");
        if (taps.size() != 3 || channels.length != 3) {
            throw new IllegalArgumentException("the head needs 3 taps and 3 channel counts, got " + taps.size()
                    + " and " + channels.length);
        }
        for (int i = 1; i < 3; i++) {
            if (taps.get(i).stride() != taps.get(0).stride()) {
                throw new IllegalArgumentException("affinity taps must share one stride, got " + taps.get(0).stride()
                        + " (" + taps.get(0).name() + ") and " + taps.get(i).stride() + " (" + taps.get(i).name() + ")");
            }
        }
        DataType type = taps.get(0).variable().dataType();
        List<SDVariable> parts = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < 3; i++) {
            FeatureTap tap = taps.get(i);
            String name = HEAD_CONVS.get(i);
            int in = tap.channels();
            INDArray init = normal(new long[] {1, 1, in, channels[i]}, Math.sqrt(2.0 / in), seed, i, type);
            SDVariable x = conv1x1(sd, name, tap.variable(), param(sd, name + ".weight", init, ParamRole.NEW_WEIGHT,
                    roles));
            if (groupNorm) {
                x = groupNorm(sd, "gn" + name.substring(1), x, channels[i], type, roles);
            }
            parts.add(sd.nn().elu(name + "/elu", x));
            total += channels[i];
        }
        SDVariable cat = sd.concat("aff/concat", 1, parts.toArray(new SDVariable[0]));
        double bound = 4 * Math.sqrt(6.0 / (total + total));
        INDArray init9 = uniform(new long[] {1, 1, total, total}, bound, seed, 3, type);
        SDVariable f9 = conv1x1(sd, "f9", cat, param(sd, "f9.weight", init9, ParamRole.NEW_WEIGHT, roles));
        return sd.nn().elu(FEATURES, f9);
    }

    /**
     * Adds W for every stencil offset: f is padded by γ−1 zero cells at the bottom, left and right,
     * the partner map of each offset is one strided slice of it (dynamic image sizes work, the
     * ends are relative to the padded size), the O slices are stacked and the distance is taken
     * once for all of them (SameDiff's per-op overhead dominates on small maps).
     *
     * @param features f, [N, D, h, w]
     * @return W, [N, O, h, w] named {@link #AFFINITY}: {@code W[n, o, y, x] =
     *     exp(−mean_c |f[n, c, y, x] − f[n, c, y + dy_o, x + dx_o]|)}, partners outside the map
     *     compared with zero padding
     */
    public static SDVariable affinity(SameDiff sd, SDVariable features, AffinityStencil stencil) {
        int r = stencil.radius() - 1;
        SDVariable pads = sd.constant("aff/pads", Nd4j.createFromArray(new int[][] {{0, 0}, {0, 0}, {0, r}, {r, r}}));
        SDVariable padded = sd.nn().pad("aff/padded", features, pads, PadMode.CONSTANT, 0.0);
        SDVariable[] partners = new SDVariable[stencil.size()];
        for (int o = 0; o < stencil.size(); o++) {
            int dy = stencil.dy(o);
            int dx = stencil.dx(o);
            // padded rows h + r: partner rows dy .. dy + h; padded columns w + 2r: partner columns r + dx .. r + dx + w
            long endY = dy - r;
            long endX = dx - r;
            int endMask = 1 | 2 | (endY == 0 ? 4 : 0) | (endX == 0 ? 8 : 0);
            partners[o] = sd.stridedSlice("aff/partner_" + o, padded, new long[] {0, 0, dy, r + dx},
                    new long[] {0, 0, endY, endX}, new long[] {1, 1, 1, 1}, 1 | 2, endMask, 0, 0, 0);
        }
        SDVariable partner = sd.stack("aff/partners", 2, partners);                 // [N, D, O, h, w]
        SDVariable self = sd.expandDims("aff/self", features, 2);                  // [N, D, 1, h, w]
        SDVariable diff = sd.math().abs("aff/absdiff", partner.sub("aff/diff", self));
        SDVariable meanDiff = diff.mean("aff/meandiff", false, 1);                 // [N, O, h, w]
        return sd.math().exp(AFFINITY, meanDiff.neg("aff/negmeandiff"));
    }

    /**
     * @param affinity W, [N, O, h, w]
     * @param weights  [N, O, h, w] pair weights ≥ 0 (0 for ignored pairs)
     * @param positive [N, O, h, w], 1 for positive pairs, 0 otherwise
     * @return the scalar {@code Σ weight · (positive ? −log(W + ε) : −log(1 + ε − W))}, named {@link #LOSS}
     */
    public static SDVariable loss(SameDiff sd, SDVariable affinity, SDVariable weights, SDVariable positive, double eps) {
        SDVariable lossPos = sd.math().log("aff/log_pos", affinity.add("aff/w_plus_eps", eps)).neg("aff/loss_pos");
        SDVariable lossNeg = sd.math().log("aff/log_neg", affinity.rsub("aff/one_minus_w", 1 + eps)).neg("aff/loss_neg");
        SDVariable negative = positive.rsub("aff/negative", 1.0);
        SDVariable perPair = positive.mul("aff/pos_part", lossPos).add("aff/per_pair", negative.mul("aff/neg_part", lossNeg));
        return weights.mul("aff/weighted", perPair).sum(LOSS);
    }

    private static SDVariable conv1x1(SameDiff sd, String name, SDVariable x, SDVariable weight) {
        Conv2DConfig cfg = Conv2DConfig.builder().kH(1).kW(1).sH(1).sW(1)
                .dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO).build();
        return sd.cnn().conv2d(name + "/conv", x, weight, cfg);
    }

    /**
     * GroupNorm (Wu &amp; He 2018) with per-channel affine, groups of 8 channels (1 group if
     * c % 8 ≠ 0), eps 1e-5, two-pass variance. Group statistics are channel means over h×w
     * averaged within each group by a constant [c, c] matrix, so the op count does not grow with
     * the number of groups.
     */
    static SDVariable groupNorm(SameDiff sd, String name, SDVariable x, int c, DataType type,
                                        Map<String, ParamRole> roles) {
        int groups = c % 8 == 0 ? c / 8 : 1;
        int size = c / groups;
        INDArray avg = Nd4j.zeros(type, c, c);
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                if (i / size == j / size) {
                    avg.putScalar(i, j, 1.0 / size);
                }
            }
        }
        SDVariable groupAvg = sd.constant(name + "/group_avg", avg);
        SDVariable mean = perChannel(sd, name + "/mean", x.mean(name + "/channel_mean", false, 2, 3).mmul(
                name + "/group_mean", groupAvg));
        SDVariable centred = x.sub(name + "/centred", mean);
        SDVariable var = perChannel(sd, name + "/var", sd.math().square(name + "/sq", centred)
                .mean(name + "/channel_var", false, 2, 3).mmul(name + "/group_var", groupAvg));
        SDVariable normed = centred.div(name + "/normed",
                sd.math().sqrt(name + "/std", var.add(name + "/var_eps", GROUP_NORM_EPS)));
        SDVariable gamma = param(sd, name + ".weight", Nd4j.ones(type, 1, c, 1, 1), ParamRole.NEW_WEIGHT, roles);
        SDVariable beta = param(sd, name + ".bias", Nd4j.zeros(type, 1, c, 1, 1), ParamRole.NEW_BIAS, roles);
        return normed.mul(name + "/scaled", gamma).add(name + "/out", beta);
    }

    /** [N, C] → [N, C, 1, 1]. */
    private static SDVariable perChannel(SameDiff sd, String name, SDVariable v) {
        return sd.expandDims(name + "_4d", sd.expandDims(name + "_3d", v, 2), 3);
    }

    private static SDVariable param(SameDiff sd, String name, INDArray value, ParamRole role,
                                    Map<String, ParamRole> roles) {
        if (roles.containsKey(name) || sd.hasVariable(name)) {
            throw new IllegalStateException("variable '" + name + "' already exists in the graph");
        }
        roles.put(name, role);
        return sd.var(name, value);
    }

    private static INDArray normal(long[] shape, double std, long seed, int index, DataType type) {
        Random rng = new Random(seed * 0x9E3779B97F4A7C15L + 7919L * (index + 1));
        double[] v = new double[Math.toIntExact(length(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian() * std;
        }
        return Nd4j.create(v, shape, 'c').castTo(type);
    }

    private static INDArray uniform(long[] shape, double bound, long seed, int index, DataType type) {
        Random rng = new Random(seed * 0x9E3779B97F4A7C15L + 7919L * (index + 1));
        double[] v = new double[Math.toIntExact(length(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (2 * rng.nextDouble() - 1) * bound;
        }
        return Nd4j.create(v, shape, 'c').castTo(type);
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
