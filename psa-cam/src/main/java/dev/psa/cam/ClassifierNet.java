package dev.psa.cam;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import dev.psa.api.PsaException;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneGraph;
import dev.psa.api.spi.BuildOptions;
import dev.psa.api.spi.EagerInference;
import dev.psa.api.spi.ParamRole;
import dev.psa.api.NativeHelpers;
import dev.psa.train.Losses;
import java.util.Arrays;

/**
 * The stage-1 classifier (REFERENCE.md §Stage 1): backbone features (stride 8) → channel dropout
 * (training graph only) → 1×1 conv to K-1 scores without bias (Xavier-uniform, a new layer) →
 * global average pooling → logits; multi-label soft margin loss. The CAM of class c is
 * ReLU(score_c), or sqrt(ReLU(score_c)) for the VGG16 variant.
 *
 * <p>Graph variables (unique names): placeholders {@value #INPUT} [N, 3, H, W] (normalised),
 * {@value #LABELS} [N, K-1] (0/1) and, in the training graph, {@value #DROP_MASK} [N, C, 1, 1]
 * (0 or 1/(1−p) per feature channel, drawn by the caller so training is reproducible); the
 * classifier weight {@value #WEIGHT} [1, 1, C, K-1] (YXIO; the reference checkpoint key);
 * outputs {@value #SCORE} [N, K-1, h, w], {@value #LOGITS} [N, K-1], {@value #LOSS} (scalar),
 * {@value #CAM} [N, K-1, h, w] (inference graph).
 */
public final class ClassifierNet {
    public static final String INPUT = "cls_input";
    public static final String LABELS = "cls_labels";
    public static final String DROP_MASK = "cls_drop_mask";
    public static final String WEIGHT = "fc8.weight";
    public static final String SCORE = "cls_score";
    public static final String LOGITS = "cls_logits";
    public static final String LOSS = "cls_loss";
    public static final String CAM = "cls_cam";

    private final SameDiff graph;
    private final Map<String, ParamRole> roles;
    private final int featureChannels;
    private final int numForeground;
    private final boolean training;
    private final boolean sqrtCam;
    private final String features;
    private final Optional<EagerInference> eager;
    /** True once {@link #detachCamNetwork()} freed the graph's parameters. */
    private boolean released;

    private ClassifierNet(SameDiff graph, Map<String, ParamRole> roles, int featureChannels, int numForeground,
                          boolean training, boolean sqrtCam, String features, Optional<EagerInference> eager) {
        this.graph = graph;
        this.roles = roles;
        this.featureChannels = featureChannels;
        this.numForeground = numForeground;
        this.training = training;
        this.sqrtCam = sqrtCam;
        this.features = features;
        this.eager = eager;
    }

    /**
     * Builds the classifier graph.
     *
     * @param backbone      the feature extractor
     * @param numForeground K-1, the number of foreground classes
     * @param training      true: with the dropout mask placeholder; false: inference graph with CAMs
     * @param sqrtCam       CAM = sqrt(ReLU(score)) (VGG16) instead of ReLU(score)
     * @param seed          initialisation seed (backbone and classifier weight)
     */
    public static ClassifierNet build(Backbone backbone, int numForeground, boolean training, boolean sqrtCam,
                                      long seed) {
        requireNonNull(backbone, "backbone is null");
        if (numForeground <= 0) {
            throw new IllegalArgumentException("numForeground must be positive, got " + numForeground);
        }
        NativeHelpers.forGraphs();
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder(INPUT, DataType.FLOAT, -1, 3, -1, -1);
        BackboneGraph bg = backbone.build(sd, input,
                new BuildOptions(BuildOptions.Purpose.CLASSIFICATION, training, seed));
        int channels = bg.output().channels();
        SDVariable features = bg.output().variable();
        if (training) {
            SDVariable mask = sd.placeHolder(DROP_MASK, DataType.FLOAT, -1, channels, 1, 1);
            features = features.mul("cls_dropped", mask);
        }
        SDVariable weight = sd.var(WEIGHT, xavierUniform(channels, numForeground, seed));
        SDVariable score = sd.cnn.conv2d(SCORE, features, weight,
                Conv2DConfig.builder().kH(1).kW(1).sH(1).sW(1).dataFormat("NCHW").build());
        SDVariable logits = score.mean(LOGITS, 2, 3);
        SDVariable labels = sd.placeHolder(LABELS, DataType.FLOAT, -1, numForeground);
        // REFERENCE.md §Stage 1: multi-label soft margin (mean sigmoid BCE over batch and classes)
        Losses.multiLabelSoftMargin(sd, LOSS, logits, labels);
        if (!training) {
            if (sqrtCam) {
                sd.math.sqrt(CAM, sd.nn.relu("cls_cam_relu", score, 0));
            } else {
                sd.nn.relu(CAM, score, 0);
            }
        }
        Map<String, ParamRole> roles = new LinkedHashMap<>(bg.params());
        if (roles.containsKey(WEIGHT)) {
            throw new PsaException("backbone " + backbone.name() + " already defines a parameter named " + WEIGHT);
        }
        roles.put(WEIGHT, ParamRole.NEW_WEIGHT);
        return new ClassifierNet(sd, Map.copyOf(roles), channels, numForeground, training, sqrtCam,
                bg.output().variable().name(), bg.eager());
    }

    /** Xavier-uniform [1, 1, in, out]: U(−b, b), b = sqrt(6 / (in + out)) (1×1 kernel). */
    static INDArray xavierUniform(int in, int out, long seed) {
        Random rng = new Random(seed * 0x9E3779B97F4A7C15L + 8);
        double bound = Math.sqrt(6.0 / (in + out));
        float[] w = new float[in * out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return Nd4j.create(w, new long[] {1, 1, in, out}, DataType.FLOAT);
    }

    /** The graph (the caller may train it, run it, or set parameters by name). */
    public SameDiff graph() {
        return graph;
    }

    /** Every parameter with its role: the backbone's, plus {@value #WEIGHT} as NEW_WEIGHT. */
    public Map<String, ParamRole> roles() {
        return roles;
    }

    /** C, the backbone's output channels. */
    public int featureChannels() {
        return featureChannels;
    }

    /** K-1. */
    public int numForeground() {
        return numForeground;
    }

    public boolean training() {
        return training;
    }

    /**
     * Sets parameters by name (e.g. from {@code cls/model.npz}).
     *
     * @param params   arrays by SameDiff variable name, in this graph's layout
     * @param required names that must all be present (usually {@link #roles()}'s keys)
     * @param source   named in errors (a file)
     * @throws PsaException listing missing and misshaped names together
     */
    public void load(Map<String, INDArray> params, Set<String> required, String source) {
        if (released) {
            throw new IllegalStateException("this classifier's parameters were freed by detachCamNetwork()");
        }
        requireNonNull(params, "params is null");
        Set<String> missing = new TreeSet<>();
        Set<String> misshaped = new TreeSet<>();
        for (String name : required) {
            if (!params.containsKey(name)) {
                missing.add(name);
            }
        }
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            SDVariable v = graph.getVariable(e.getKey());
            if (v == null) {
                continue;
            }
            INDArray current = v.getArr();
            if (current != null && !Arrays.equals(current.shape(), e.getValue().shape())) {
                misshaped.add(e.getKey() + " (graph " + Arrays.toString(current.shape()) + ", file "
                        + Arrays.toString(e.getValue().shape()) + ")");
                continue;
            }
            if (current != null) {
                current.assign(e.getValue());
            } else {
                v.setArray(e.getValue().castTo(DataType.FLOAT));
            }
        }
        if (!missing.isEmpty() || !misshaped.isEmpty()) {
            throw new PsaException(source + ": cannot load classifier parameters"
                    + (missing.isEmpty() ? "" : "; missing " + missing)
                    + (misshaped.isEmpty() ? "" : "; wrong shape " + misshaped)
                    + ". Was it written by a classifier with this backbone and number of classes?");
        }
    }

    /** The current value of every parameter, by name (views of the graph's arrays). */
    public Map<String, INDArray> params() {
        if (released) {
            throw new IllegalStateException("this classifier's parameters were freed by detachCamNetwork()");
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String name : roles.keySet()) {
            out.put(name, graph.getVariable(name).getArr());
        }
        return out;
    }

    /**
     * This inference graph as a {@link CamNetwork}, with the parameter values it holds now: the
     * backbone's eager path when it has one (the same CAMs up to float rounding, several times faster
     * and with a fraction of the memory), else SameDiff. Call again after loading other parameters.
     */
    public CamNetwork camNetwork() {
        if (released) {
            throw new IllegalStateException("this classifier's parameters were freed by detachCamNetwork()");
        }
        if (training) {
            throw new IllegalStateException("CAMs come from the inference graph (build with training = false)");
        }
        if (eager.isEmpty()) {
            return graphCamNetwork();
        }
        EagerInference.Forward forward = eager.get().compile(graph, features);
        INDArray weight = graph.getVariable(WEIGHT).getArr().castTo(DataType.FLOAT)
                .reshape(featureChannels, numForeground).dup('c');
        return images -> forward.readNhwc(images, feats -> nhwcCams(feats, weight));
    }

    /**
     * {@link #camNetwork()} for a caller that needs nothing else from this classifier (the cams
     * stage): once the eager path has its own (folded) copies of the parameters, the graph's are
     * freed, so the parameters are held once instead of twice (ResNet-38: 0.42 GB less). This
     * classifier cannot be used afterwards. Without an eager path it is {@link #graphCamNetwork()}
     * and frees nothing.
     */
    public CamNetwork detachCamNetwork() {
        CamNetwork net = camNetwork();
        if (eager.isPresent()) {
            for (String name : roles.keySet()) {
                SDVariable v = graph.getVariable(name);
                INDArray a = v == null ? null : v.getArr();
                if (a != null && a.closeable()) {
                    a.close();
                }
            }
            released = true;
        }
        return net;
    }

    /**
     * The CAMs in float64: the backbone's eager path computing in DOUBLE (parameters widened, ND4J's own
     * kernels) and {@code fc8} in DOUBLE. A reference against which the float32 paths' rounding is
     * measured (tests); slow. Images may be float32 or float64; the CAMs are float64.
     *
     * @throws IllegalStateException if the backbone has no eager path
     */
    public CamNetwork float64CamNetwork() {
        if (released) {
            throw new IllegalStateException("this classifier's parameters were freed by detachCamNetwork()");
        }
        if (training) {
            throw new IllegalStateException("CAMs come from the inference graph (build with training = false)");
        }
        EagerInference e = eager.orElseThrow(() -> new IllegalStateException("the backbone has no eager path"));
        EagerInference.Forward forward = e.compile(graph, features, DataType.DOUBLE);
        INDArray weight = graph.getVariable(WEIGHT).getArr().castTo(DataType.DOUBLE)
                .reshape(featureChannels, numForeground).dup('c');
        return images -> eagerCams(forward.apply(images), weight);
    }

    /** The CAMs computed by SameDiff running this graph (the reference the eager path is tested against). */
    public CamNetwork graphCamNetwork() {
        if (released) {
            throw new IllegalStateException("this classifier's parameters were freed by detachCamNetwork()");
        }
        if (training) {
            throw new IllegalStateException("CAMs come from the inference graph (build with training = false)");
        }
        return images -> graph.output(Map.of(INPUT, images), CAM).get(CAM);
    }

    /**
     * [N, h, w, C] features (NHWC, C-contiguous) → [N, K-1, h, w] CAMs: per image one [h·w, C] ×
     * [C, K-1] product on the features in place, ReLU (sqrt), transposed into the CAM array.
     */
    private INDArray nhwcCams(INDArray feats, INDArray weight) {
        long n = feats.size(0);
        long h = feats.size(1);
        long w = feats.size(2);
        INDArray cams = Nd4j.createUninitialized(weight.dataType(), n, numForeground, h, w);
        for (int i = 0; i < n; i++) {
            // a view of the pooled output when it is C-contiguous NHWC, else (the default readNhwc) a copy
            INDArray f = feats.slice(i).reshape('c', h * w, featureChannels);
            INDArray score = Nd4j.gemm(f, weight, false, false);
            INDArray cam = sqrtCam ? Transforms.sqrt(Transforms.relu(score, false), false) : Transforms.relu(score, false);
            cams.slice(i).assign(cam.reshape('c', h, w, numForeground).permute(2, 0, 1));
            score.close();
        }
        return cams;
    }

    /** [N, C, h, w] features → [N, K-1, h, w] CAMs: the 1×1 {@code fc8} as a matrix product, ReLU (sqrt). */
    private INDArray eagerCams(INDArray feats, INDArray weight) {
        long n = feats.size(0);
        long h = feats.size(2);
        long w = feats.size(3);
        INDArray cams = Nd4j.createUninitialized(feats.dataType(), n, numForeground, h, w);
        for (int i = 0; i < n; i++) {
            INDArray score = Nd4j.gemm(weight, feats.slice(i).reshape('c', featureChannels, h * w), true, false);
            INDArray cam = sqrtCam ? Transforms.sqrt(Transforms.relu(score, false), false) : Transforms.relu(score, false);
            cams.slice(i).assign(cam.reshape('c', numForeground, h, w));
            score.close();
        }
        feats.close();
        return cams;
    }

    /**
     * Logits of a batch (inference graph).
     *
     * @param images [N, 3, H, W] float32 normalised
     * @return [N, K-1] float32
     */
    public INDArray logits(INDArray images) {
        if (released) {
            throw new IllegalStateException("this classifier's parameters were freed by detachCamNetwork()");
        }
        if (training) {
            throw new IllegalStateException("use the inference graph for logits");
        }
        return graph.output(Map.of(INPUT, images), LOGITS).get(LOGITS);
    }
}
