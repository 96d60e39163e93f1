package dev.psa.examples.resnet50s;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.InputNormalization;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneGraph;
import dev.psa.api.spi.BuildOptions;
import dev.psa.api.spi.FeatureTap;
import dev.psa.api.spi.ParamRole;

/**
 * A ResNet-50-style backbone at output stride 8, as DeepLab uses it: torchvision's ResNet-50
 * (v1.5, stride on the 3×3 conv) with layer3 and layer4 dilated (2 and 4) instead of strided.
 * Stem conv1 7×7/2 + bn1 + ReLU + max pool 3×3/2; layer1..layer4 of bottlenecks
 * (1×1 → 3×3 → 1×1, expansion 4, projection shortcut {@code downsample.0/1} on the first block).
 * Every batch norm is frozen (running statistics, eps 1e-5), as is the stem. Parameter names are
 * torchvision's state_dict keys ({@code layer3.0.conv2.weight}, {@code layer1.0.downsample.1.running_var},
 * …), so torchvision's ImageNet checkpoint imports by name with {@code psa weights import}.
 * Affinity taps: the outputs of layer2, layer3 and layer4. ImageNet normalisation.
 *
 * <p>This class uses only psa-api and ND4J's SameDiff: it is what a third-party plugin jar
 * looks like.
 */
public final class ResNet50sBackbone implements Backbone {
    private final ResNet50sConfig config;

    public ResNet50sBackbone(ResNet50sConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    public ResNet50sConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "resnet50s";
    }

    @Override
    public InputNormalization normalization() {
        return InputNormalization.IMAGENET;
    }

    @Override
    public BackboneGraph build(SameDiff sd, SDVariable input, BuildOptions options) {
        requireNonNull(sd, "sd is null");
        requireNonNull(input, "input is null");
        requireNonNull(options, "options is null");
        Net n = new Net(sd, options.seed());
        int w = config.baseWidth();
        SDVariable x = n.conv("conv1", input, 3, w, 7, 2, 1, ParamRole.FROZEN);
        x = relu(sd, "relu", n.bn("bn1", x, w));
        x = sd.cnn().maxPooling2d("maxpool", x, Pooling2DConfig.builder().kH(3).kW(3).sH(2).sW(2).pH(1).pW(1)
                .dH(1).dW(1).type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.VALID).isNHWC(false).build());
        int[] blocks = config.blocks();
        int in = w;
        SDVariable[] outs = new SDVariable[4];
        int[] stride = {1, 2, 1, 1};
        int[] dilation = {1, 1, 2, 4};
        int previousDilation = 1;
        for (int layer = 0; layer < 4; layer++) {
            int mid = w << layer;
            for (int b = 0; b < blocks[layer]; b++) {
                String name = "layer" + (layer + 1) + "." + b;
                x = n.bottleneck(name, x, in, mid, b == 0 ? stride[layer] : 1, b == 0 ? previousDilation : dilation[layer]);
                in = mid * 4;
            }
            previousDilation = dilation[layer];
            outs[layer] = x;
        }
        FeatureTap out = new FeatureTap("layer4", outs[3], 8, in);
        return new BackboneGraph(out, List.of(new FeatureTap("layer2", outs[1], 8, 8 * w),
                new FeatureTap("layer3", outs[2], 8, 16 * w), out), n.roles);
    }

    private static SDVariable relu(SameDiff sd, String name, SDVariable x) {
        return sd.nn().relu(name, x, 0);
    }

    /** Adds layers with explicit names and records parameter roles. */
    private static final class Net {
        final SameDiff sd;
        final long seed;
        final Map<String, ParamRole> roles = new LinkedHashMap<>();
        long counter;

        Net(SameDiff sd, long seed) {
            this.sd = sd;
            this.seed = seed;
        }

        /** torchvision Bottleneck: conv1 1×1, conv2 3×3 (stride, dilation), conv3 1×1 ×4, projection on change. */
        SDVariable bottleneck(String p, SDVariable x, int in, int mid, int stride, int dilation) {
            int out = mid * 4;
            SDVariable y = relu(sd, p + ".relu1", bn(p + ".bn1", conv(p + ".conv1", x, in, mid, 1, 1, 1, ParamRole.WEIGHT), mid));
            y = relu(sd, p + ".relu2", bn(p + ".bn2", conv(p + ".conv2", y, mid, mid, 3, stride, dilation, ParamRole.WEIGHT), mid));
            y = bn(p + ".bn3", conv(p + ".conv3", y, mid, out, 1, 1, 1, ParamRole.WEIGHT), out);
            SDVariable shortcut = x;
            if (stride != 1 || in != out) {
                shortcut = bn(p + ".downsample.1", conv(p + ".downsample.0", x, in, out, 1, stride, 1, ParamRole.WEIGHT), out);
            }
            return relu(sd, p + ".relu3", y.add(p + "/sum", shortcut));
        }

        /** Convolution without bias, YXIO weights (He-normal), symmetric padding dilation·(k−1)/2. */
        SDVariable conv(String name, SDVariable x, int in, int out, int k, int stride, int dilation, ParamRole role) {
            org.nd4j.linalg.api.rng.Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed * 31 + ++counter);
            INDArray init = Nd4j.randn(rng, new long[] {k, k, in, out}).castTo(DataType.FLOAT).muli(Math.sqrt(2.0 / (in * k * k)));
            SDVariable wv = param(name + ".weight", init, role);
            int pad = dilation * (k - 1) / 2;
            return sd.cnn().conv2d(name + "/conv", x, wv, Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride)
                    .dH(dilation).dW(dilation).pH(pad).pW(pad).paddingMode(PaddingMode.VALID)
                    .dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO).build());
        }

        /** Frozen batch norm as the affine map it is in inference: x·γ/√(var+ε) + (β − mean·γ/√(var+ε)). */
        SDVariable bn(String name, SDVariable x, int c) {
            SDVariable gamma = param(name + ".weight", Nd4j.ones(DataType.FLOAT, c), ParamRole.FROZEN);
            SDVariable beta = param(name + ".bias", Nd4j.zeros(DataType.FLOAT, c), ParamRole.FROZEN);
            SDVariable mean = param(name + ".running_mean", Nd4j.zeros(DataType.FLOAT, c), ParamRole.FROZEN);
            SDVariable var = param(name + ".running_var", Nd4j.ones(DataType.FLOAT, c), ParamRole.FROZEN);
            SDVariable scale = gamma.div(name + "/scale", sd.math().sqrt(name + "/std", var.add(name + "/var_eps", 1e-5)));
            SDVariable shift = beta.sub(name + "/shift", mean.mul(name + "/mean_scaled", scale));
            return x.mul(name + "/scaled", sd.reshape(name + "/scale4", scale, 1, c, 1, 1))
                    .add(name + "/bn", sd.reshape(name + "/shift4", shift, 1, c, 1, 1));
        }

        SDVariable param(String name, INDArray value, ParamRole role) {
            roles.put(name, role);
            return sd.var(name, value);
        }
    }

    @Override
    public String toString() {
        return "ResNet50sBackbone" + config;
    }
}
