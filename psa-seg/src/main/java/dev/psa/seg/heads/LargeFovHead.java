package dev.psa.seg.heads;

import static java.util.Objects.requireNonNull;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import dev.psa.api.config.Validator;
import dev.psa.api.spi.SegHead;
import dev.psa.api.spi.SegHeadGraph;

/**
 * DeepLab-LargeFOV's head (Chen et al., ICLR 2015): {@code seg_fc6} 3×3 with dilation
 * {@code seg.largefov.dilation} (12) to {@code seg.largefov.channels} (1024) → ReLU → dropout
 * {@code seg.largefov.dropout} (0.5) → {@code seg_fc7} 1×1 → ReLU → dropout → {@code seg_fc8} 1×1 to the
 * K classes (initial weights N(0, 0.01), as DeepLab's new classifier). On VGG16-d this is DeepLab-LargeFOV itself.
 *
 * @param channels width of fc6 / fc7
 * @param dilation dilation of the 3×3 fc6
 * @param dropout  dropout probability after fc6 and fc7 (training graph)
 */
public record LargeFovHead(int channels, int dilation, double dropout) implements SegHead {
    public LargeFovHead {
        new Validator("seg.largefov.")
                .check(channels > 0, "channels", "must be > 0, got " + channels)
                .check(dilation >= 1, "dilation", "must be >= 1, got " + dilation)
                .check(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), got " + dropout)
                .throwIfAny();
    }

    @Override
    public String name() {
        return "largefov";
    }

    @Override
    public SegHeadGraph build(SameDiff sd, SDVariable features, int featureChannels, int numClasses, boolean training,
                              long seed) {
        requireNonNull(sd, "sd is null");
        requireNonNull(features, "features is null");
        HeadLayers l = new HeadLayers(sd, seed);
        SDVariable x = sd.nn().relu("seg_fc6/relu", l.conv("seg_fc6", features, featureChannels, channels, 3, dilation,
                Double.NaN), 0);
        if (training && dropout > 0) {
            x = l.dropout("seg_fc6/drop", x, channels, dropout);
        }
        x = sd.nn().relu("seg_fc7/relu", l.conv("seg_fc7", x, channels, channels, 1, 1, Double.NaN), 0);
        if (training && dropout > 0) {
            x = l.dropout("seg_fc7/drop", x, channels, dropout);
        }
        SDVariable scores = l.conv("seg_fc8", x, channels, numClasses, 1, 1, 0.01);
        return new SegHeadGraph(scores, l.roles(), l.masks());
    }
}
