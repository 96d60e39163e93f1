package dev.psa.seg;

import static java.util.Objects.requireNonNull;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.image.ResizeBilinear;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Reverse;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import dev.psa.api.InputNormalization;
import dev.psa.api.LabelMap;
import dev.psa.api.Shapes;
import dev.psa.crf.DenseCrf;

/**
 * Segments one image with a trained network: for every scale of {@code seg.scales} the image is
 * resized (bilinear, half-pixel centres) to round(s·H) × round(s·W), normalised and run with and
 * without a horizontal flip ({@code seg.test-flip}); each pass's class probabilities are upsampled
 * bilinearly to H × W, flipped back and averaged. With {@code seg.crf} the average is refined by the
 * dense CRF (DeepLab's VOC parameters by default). The label is the argmax.
 */
public final class SegPredictor {
    private final SegNet net;
    private final InputNormalization normalization;
    private final SegConfig config;
    private final DenseCrf crf;

    /**
     * @param net           an inference graph with trained parameters
     * @param normalization the backbone's input normalisation
     */
    public SegPredictor(SegNet net, InputNormalization normalization, SegConfig config) {
        this.net = requireNonNull(net, "net is null");
        if (net.training()) {
            throw new IllegalArgumentException("predictions come from the inference graph (training = false)");
        }
        this.normalization = requireNonNull(normalization, "normalization is null");
        this.config = requireNonNull(config, "config is null");
        this.crf = config.crf() ? new DenseCrf(config.crfConfig()) : null;
    }

    public SegConfig config() {
        return config;
    }

    /**
     * @param image [3, H, W] RGB 0..255
     * @return [K, H, W] float32, the averaged (and, with the CRF, refined) class probabilities
     */
    public INDArray probabilities(INDArray image) {
        Shapes.check("image", "[3, H, W]", image, 3, -1, -1);
        int h = (int) image.size(1);
        int w = (int) image.size(2);
        INDArray rgb = image.castTo(DataType.FLOAT).reshape(1, 3, h, w);
        INDArray sum = Nd4j.zeros(DataType.FLOAT, 1, net.numClasses(), h, w);
        int passes = 0;
        for (double s : config.scales()) {
            int hs = Math.max(1, (int) Math.round(s * h));
            int ws = Math.max(1, (int) Math.round(s * w));
            INDArray scaled = normalization.apply(resizeBilinear(rgb, hs, ws));
            INDArray input = config.testFlip() ? Nd4j.concat(0, scaled, flipLastAxis(scaled)) : scaled;
            INDArray probs = resizeBilinear(net.probabilities(input).castTo(DataType.FLOAT), h, w);
            sum.addi(probs.get(NDArrayIndex.interval(0, 1)));
            passes++;
            if (config.testFlip()) {
                sum.addi(flipLastAxis(probs.get(NDArrayIndex.interval(1, 2)).dup('c')));
                passes++;
            }
        }
        INDArray mean = sum.divi(passes).reshape(net.numClasses(), h, w);
        return crf == null ? mean : crf.inferScores(image, mean);
    }

    /** The label map of one image (argmax of {@link #probabilities}). */
    public LabelMap predict(INDArray image) {
        return DenseCrf.argmax(probabilities(image));
    }

    /** [N, C, h, w] → [N, C, height, width], bilinear with half-pixel centres (PyTorch align_corners = false). */
    static INDArray resizeBilinear(INDArray x, int height, int width) {
        if (x.size(2) == height && x.size(3) == width) {
            return x.dup();
        }
        INDArray nhwc = x.permute(0, 2, 3, 1).dup('c');
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), height, width, x.size(1));
        Nd4j.exec(new ResizeBilinear(nhwc, out, height, width, false, true));
        return out.permute(0, 3, 1, 2).dup('c');
    }

    /** Mirrors the last axis. */
    static INDArray flipLastAxis(INDArray x) {
        INDArray out = Nd4j.createUninitialized(x.dataType(), x.shape());
        Nd4j.exec(new Reverse(x.dup('c'), out, x.rank() - 1));
        return out;
    }
}
