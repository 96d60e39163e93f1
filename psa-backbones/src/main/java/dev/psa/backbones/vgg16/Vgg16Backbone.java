package dev.psa.backbones.vgg16;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import dev.psa.api.InputNormalization;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneGraph;
import dev.psa.api.spi.BuildOptions;
import dev.psa.api.spi.FeatureTap;
import dev.psa.api.spi.ParamRole;
import dev.psa.backbones.internal.GraphBuilder;

/**
 * VGG16-d (DeepLab-LargeFOV style) at output stride 8, as in REFERENCE.md §Backbones: 3×3 convs
 * with bias and ReLU; pool1–3 max 3×3 stride 2 pad 1; pool4 max 3×3 stride 1 pad 1; conv5_x
 * dilation 2; fc6 3×3 512→1024 (dilation 1 for classification, 4 for affinity) + ReLU + dropout
 * 0.5 (training graphs only); fc7 1×1 1024→1024 + ReLU. Caffe BGR normalisation. conv1_*, conv2_*
 * frozen. Affinity taps {@code conv4_3} (512), {@code conv5_3} (512), {@code fc7} (1024), all
 * after ReLU; AffinityNet adds GroupNorm after its tap convs.
 */
public final class Vgg16Backbone implements Backbone {
    private static final int[][] BLOCKS = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};

    private final Vgg16Config config;

    public Vgg16Backbone(Vgg16Config config) {
        this.config = requireNonNull(config, "config is null");
    }

    public Vgg16Config config() {
        return config;
    }

    @Override
    public String name() {
        return "vgg16";
    }

    @Override
    public InputNormalization normalization() {
        return InputNormalization.CAFFE_BGR;
    }

    @Override
    public boolean groupNormInAffinityHead() {
        return true;
    }

    /** fc6's dilation for a purpose (1 for classification, 4 for affinity by default). */
    public int fc6Dilation(BuildOptions.Purpose purpose) {
        return purpose == BuildOptions.Purpose.AFFINITY ? config.fc6DilationAffinity() : config.fc6DilationClassification();
    }

    @Override
    public BackboneGraph build(SameDiff sd, SDVariable input, BuildOptions options) {
        requireNonNull(sd, "sd is null");
        requireNonNull(input, "input is null");
        requireNonNull(options, "options is null");
        GraphBuilder g = new GraphBuilder(sd, options.seed(), options.initialise());
        SDVariable x = input;
        int in = 3;
        SDVariable conv43 = null;
        for (int b = 0; b < BLOCKS.length; b++) {
            int dilation = b == 4 ? 2 : 1;
            for (int i = 0; i < BLOCKS[b].length; i++) {
                String n = "conv" + (b + 1) + "_" + (i + 1);
                x = conv(g, n, x, in, BLOCKS[b][i], 3, dilation);
                in = BLOCKS[b][i];
            }
            if (b == 3) {
                conv43 = x;
            }
            if (b < 3) {
                x = g.maxPool("pool" + (b + 1), x, 3, 2, 1);
            } else if (b == 3) {
                x = g.maxPool("pool4", x, 3, 1, 1);
            }
        }
        SDVariable conv53 = x;
        x = conv(g, "fc6", x, 512, 1024, 3, fc6Dilation(options.purpose()));
        if (options.training() && config.dropout() > 0) {
            x = g.dropout("drop6", x, config.dropout());
        }
        SDVariable fc7 = conv(g, "fc7", x, 1024, 1024, 1, 1);
        FeatureTap output = new FeatureTap("fc7", fc7, 8, 1024);
        return new BackboneGraph(output, List.of(new FeatureTap("conv4_3", conv43, 8, 512),
                new FeatureTap("conv5_3", conv53, 8, 512), output), g.roles(), Optional.of(g.program()));
    }

    private SDVariable conv(GraphBuilder g, String n, SDVariable x, int in, int out, int k, int dilation) {
        boolean frozen = config.frozen().contains(n);
        ParamRole w = frozen ? ParamRole.FROZEN : ParamRole.WEIGHT;
        ParamRole b = frozen ? ParamRole.FROZEN : ParamRole.BIAS;
        return g.relu(n + "/relu", g.conv(n, x, in, out, k, 1, dilation, true, w, b, false));
    }

    @Override
    public String toString() {
        return "Vgg16Backbone" + config;
    }
}
