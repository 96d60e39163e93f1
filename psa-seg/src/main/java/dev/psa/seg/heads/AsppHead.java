package dev.psa.seg.heads;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import dev.psa.api.config.Validator;
import dev.psa.api.spi.SegHead;
import dev.psa.api.spi.SegHeadGraph;

/**
 * DeepLab v2's atrous spatial pyramid pooling head as on ResNet-101 (Chen et al., TPAMI 2018): parallel
 * 3×3 convolutions {@code seg_aspp<i>} from the features straight to the K classes, one per dilation of
 * {@code seg.aspp.dilations} (6, 12, 18, 24), summed. Initial weights N(0, 0.01). Optional dropout on
 * the features before the branches ({@code seg.aspp.dropout}, 0: DeepLab v2 has none on ResNet).
 *
 * @param dilations one branch per dilation
 * @param dropout   dropout probability on the input features (training graph)
 */
public record AsppHead(int[] dilations, double dropout) implements SegHead {
    public AsppHead {
        dilations = dilations.clone();
        new Validator("seg.aspp.")
                .check(dilations.length > 0 && Arrays.stream(dilations).allMatch(d -> d >= 1), "dilations",
                        "must be one or more integers >= 1, got " + Arrays.toString(dilations))
                .check(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), got " + dropout)
                .throwIfAny();
    }

    @Override
    public int[] dilations() {
        return dilations.clone();
    }

    @Override
    public String name() {
        return "aspp";
    }

    @Override
    public SegHeadGraph build(SameDiff sd, SDVariable features, int featureChannels, int numClasses, boolean training,
                              long seed) {
        requireNonNull(sd, "sd is null");
        requireNonNull(features, "features is null");
        HeadLayers l = new HeadLayers(sd, seed);
        SDVariable x = training && dropout > 0 ? l.dropout("seg_aspp/drop", features, featureChannels, dropout) : features;
        SDVariable sum = null;
        for (int i = 0; i < dilations.length; i++) {
            SDVariable b = l.conv("seg_aspp" + i, x, featureChannels, numClasses, 3, dilations[i], 0.01);
            sum = sum == null ? b : sum.add("seg_aspp/sum" + i, b);
        }
        return new SegHeadGraph(sum, l.roles(), l.masks());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AsppHead a && Arrays.equals(dilations, a.dilations) && dropout == a.dropout;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dilations) * 31 + Double.hashCode(dropout);
    }

    @Override
    public String toString() {
        return "AsppHead[dilations=" + Arrays.toString(dilations) + ", dropout=" + dropout + "]";
    }
}
