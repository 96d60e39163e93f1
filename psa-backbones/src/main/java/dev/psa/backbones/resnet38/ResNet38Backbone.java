package dev.psa.backbones.resnet38;

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
 * Wider ResNet-38 (Wu et al., model A1) at output stride 8, as in REFERENCE.md §Backbones:
 * pre-activation blocks, convs without bias, every batch norm frozen (running statistics, eps
 * 1e-5), {@code conv1a, b2, b2_1, b2_2} frozen, dropout in b6/b7 only in training graphs.
 * Variable names are the authors' state_dict keys ({@code b2.conv_branch2a.weight},
 * {@code bn7.running_var}, …), so their checkpoints import by name. Affinity taps: the
 * BN+ReLU'd input of b5 ({@code b5_in}, 512 ch) and of b6 ({@code b6_in}, 1024 ch) and the
 * output ({@code bn7}, 4096 ch).
 */
public final class ResNet38Backbone implements Backbone {
    private final ResNet38Config config;

    public ResNet38Backbone(ResNet38Config config) {
        this.config = requireNonNull(config, "config is null");
    }

    public ResNet38Config config() {
        return config;
    }

    @Override
    public String name() {
        return "resnet38";
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
        Blocks b = new Blocks(new GraphBuilder(sd, options.seed(), options.initialise()), options.training());
        SDVariable x = b.g.conv("conv1a", input, 3, 64, 3, 1, 1, role("conv1a"));
        x = b.basic("b2", x, 64, 128, 128, 2, 1, 1).out;
        x = b.basic("b2_1", x, 128, 128, 128, 1, 1, 1).out;
        x = b.basic("b2_2", x, 128, 128, 128, 1, 1, 1).out;
        x = b.basic("b3", x, 128, 256, 256, 2, 1, 1).out;
        x = b.basic("b3_1", x, 256, 256, 256, 1, 1, 1).out;
        x = b.basic("b3_2", x, 256, 256, 256, 1, 1, 1).out;
        x = b.basic("b4", x, 256, 512, 512, 2, 1, 1).out;
        for (int i = 1; i <= 5; i++) {
            x = b.basic("b4_" + i, x, 512, 512, 512, 1, 1, 1).out;
        }
        Out b5 = b.basic("b5", x, 512, 512, 1024, 1, 1, 2);
        x = b.basic("b5_1", b5.out, 1024, 512, 1024, 1, 2, 2).out;
        x = b.basic("b5_2", x, 1024, 512, 1024, 1, 2, 2).out;
        Out b6 = b.bottleneck("b6", x, 1024, 2048, 4, config.b6Dropout());
        Out b7 = b.bottleneck("b7", b6.out, 2048, 4096, 4, config.b7Dropout());
        SDVariable out = b.g.relu("bn7/relu", b.g.batchNorm("bn7", b7.out, 4096));
        FeatureTap output = new FeatureTap("bn7", out, 8, 4096);
        return new BackboneGraph(output, List.of(new FeatureTap("b5_in", b5.bnRelu, 8, 512),
                new FeatureTap("b6_in", b6.bnRelu, 8, 1024), output), b.g.roles(), Optional.of(b.g.program()));
    }

    private ParamRole role(String layer) {
        return config.isFrozen(layer) ? ParamRole.FROZEN : ParamRole.WEIGHT;
    }

    /** A block's output and its BN+ReLU'd input. */
    private record Out(SDVariable out, SDVariable bnRelu) {
    }

    private final class Blocks {
        final GraphBuilder g;
        final boolean training;

        Blocks(GraphBuilder g, boolean training) {
            this.g = g;
            this.training = training;
        }

        /** B(in, mid, out, stride, first_dilation, dilation), REFERENCE.md §Backbones. */
        Out basic(String n, SDVariable x, int in, int mid, int out, int stride, int firstDilation, int dilation) {
            ParamRole r = role(n);
            SDVariable xa = g.relu(n + ".bn_branch2a/relu", g.batchNorm(n + ".bn_branch2a", x, in));
            SDVariable shortcut = in == out && stride == 1 ? x : g.conv(n + ".conv_branch1", xa, in, out, 1, stride, 1, r);
            SDVariable y = g.conv(n + ".conv_branch2a", xa, in, mid, 3, stride, firstDilation, r);
            y = g.relu(n + ".bn_branch2b1/relu", g.batchNorm(n + ".bn_branch2b1", y, mid));
            y = g.conv(n + ".conv_branch2b1", y, mid, out, 3, 1, dilation, r);
            return new Out(g.add(n + "/sum", shortcut, y), xa);
        }

        /** Bb(in, out, dilation, dropout), REFERENCE.md §Backbones. */
        Out bottleneck(String n, SDVariable x, int in, int out, int dilation, double dropout) {
            ParamRole r = role(n);
            SDVariable xa = g.relu(n + ".bn_branch2a/relu", g.batchNorm(n + ".bn_branch2a", x, in));
            SDVariable shortcut = g.conv(n + ".conv_branch1", xa, in, out, 1, 1, 1, r);
            SDVariable y = g.conv(n + ".conv_branch2a", xa, in, out / 4, 1, 1, 1, r);
            y = g.relu(n + ".bn_branch2b1/relu", g.batchNorm(n + ".bn_branch2b1", y, out / 4));
            y = drop(n + ".dropout_2b1", y, dropout);
            y = g.conv(n + ".conv_branch2b1", y, out / 4, out / 2, 3, 1, dilation, r);
            y = g.relu(n + ".bn_branch2b2/relu", g.batchNorm(n + ".bn_branch2b2", y, out / 2));
            y = drop(n + ".dropout_2b2", y, dropout);
            y = g.conv(n + ".conv_branch2b2", y, out / 2, out, 1, 1, 1, r);
            return new Out(g.add(n + "/sum", shortcut, y), xa);
        }

        private SDVariable drop(String name, SDVariable y, double rate) {
            return training && rate > 0 ? g.dropout(name, y, rate) : y;
        }
    }

    @Override
    public String toString() {
        return "ResNet38Backbone" + config;
    }
}
