package dev.psa.backbones.tiny;

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
 * The demo/test backbone: trains from scratch on CPU in minutes on 96–128 px images.
 *
 * <p>Layers (all with bias and ReLU, He-initialised): {@code stem1} 4×4 stride 4 → {@code stem2}
 * 2×2 stride 2 (a stride-8 stem, receptive field 8 px) → {@code conv3} 3×3 at stride 8 →
 * {@code conv4} 1×1 → {@code conv5} 1×1. Receptive field 8 + 2·8 = 24 px: SYNTHETIC.md found
 * that a GAP classifier trained from scratch needs a receptive field that is small next to the
 * objects (≈ 25 px worked; 137 px spread the CAM over everything). Stem convs use SAME padding,
 * so an H×W input gives ceil(H/8)×ceil(W/8) cells. Affinity taps: {@code conv3}, {@code conv4},
 * {@code conv5} (the output). ImageNet input normalisation. Nothing is frozen.
 */
public final class TinyBackbone implements Backbone {
    private final TinyConfig config;

    public TinyBackbone(TinyConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    public TinyConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "tiny";
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
        GraphBuilder g = new GraphBuilder(sd, options.seed(), options.initialise());
        int s = config.stemChannels();
        int m = config.convChannels();
        int c = config.channels();
        SDVariable x = g.relu("stem1/relu", g.conv("stem1", input, 3, s, 4, 4, 1, true, ParamRole.WEIGHT, ParamRole.BIAS, true));
        x = g.relu("stem2/relu", g.conv("stem2", x, s, s, 2, 2, 1, true, ParamRole.WEIGHT, ParamRole.BIAS, true));
        SDVariable conv3 = g.relu("conv3/relu", g.conv("conv3", x, s, m, 3, 1, 1, true, ParamRole.WEIGHT, ParamRole.BIAS, false));
        SDVariable conv4 = g.relu("conv4/relu", g.conv("conv4", conv3, m, c, 1, 1, 1, true, ParamRole.WEIGHT, ParamRole.BIAS, false));
        SDVariable conv5 = g.relu("conv5/relu", g.conv("conv5", conv4, c, c, 1, 1, 1, true, ParamRole.WEIGHT, ParamRole.BIAS, false));
        FeatureTap out = new FeatureTap("conv5", conv5, 8, c);
        return new BackboneGraph(out, List.of(new FeatureTap("conv3", conv3, 8, m),
                new FeatureTap("conv4", conv4, 8, c), out), g.roles(), Optional.of(g.program()));
    }

    @Override
    public String toString() {
        return "TinyBackbone" + config;
    }
}
