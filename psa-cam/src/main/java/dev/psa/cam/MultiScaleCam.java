package dev.psa.cam;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import dev.psa.api.CamSet;
import dev.psa.api.InputNormalization;
import dev.psa.api.PsaException;
import dev.psa.api.Shapes;
import dev.psa.cam.internal.Tensors;
import dev.psa.data.augment.PilBicubic;

/**
 * Multi-scale, flipped CAM inference (REFERENCE.md §Stage 1 "Inference"): for every scale s the
 * image is resized to round(s·H) × round(s·W) (bilinear, half-pixel centres; or, with
 * {@code cam.resize = pil-bicubic}, like the authors: Pillow's bicubic on the 8-bit image and sizes
 * rounded half to even), normalised, run through
 * the network with and without a horizontal flip; each pass's CAM is upsampled bilinearly to H × W,
 * multiplied by the image label (absent classes → 0), flipped back and summed. Each present class is
 * then divided by its own maximum + ε, so it peaks at ~1, and only present classes are kept.
 *
 * <p>Images of equal size are stacked into one network batch (flipped copies included).
 */
public final class MultiScaleCam {
    /** One image to process. */
    public record Input(String id, INDArray image, int[] classes) {
        public Input {
            requireNonNull(id, "id is null");
            requireNonNull(classes, "classes is null");
            Shapes.check("image of " + id, "[3, H, W]", image, 3, -1, -1);
            classes = classes.clone();
        }
    }

    private final CamNetwork network;
    private final InputNormalization normalization;
    private final CamConfig config;
    private final int numForeground;

    /**
     * @param network       the CAM network
     * @param normalization the backbone's input normalisation
     * @param config        scales, flip, ε, batch size
     * @param numForeground K-1, the number of channels the network returns
     */
    public MultiScaleCam(CamNetwork network, InputNormalization normalization, CamConfig config, int numForeground) {
        this.network = requireNonNull(network, "network is null");
        this.normalization = requireNonNull(normalization, "normalization is null");
        this.config = requireNonNull(config, "config is null");
        if (numForeground <= 0) {
            throw new IllegalArgumentException("numForeground must be positive, got " + numForeground);
        }
        this.numForeground = numForeground;
    }

    /** The settings this pipeline runs with. */
    public CamConfig config() {
        return config;
    }

    /**
     * @param id      the image id
     * @param image   [3, H, W] float32 RGB in [0, 255]
     * @param classes the present foreground class ids (1..K-1), strictly increasing
     * @return the CAMs of the present classes, [C, H, W] float32 in [0, 1]
     */
    public CamSet compute(String id, INDArray image, int[] classes) {
        return computeAll(List.of(new Input(id, image, classes))).get(0);
    }

    /**
     * Computes the CAMs of several images, stacking images of equal size into network batches of
     * at most {@code cam.batch-size} images.
     *
     * @return one CamSet per input, in input order
     */
    public List<CamSet> computeAll(List<Input> inputs) {
        requireNonNull(inputs, "inputs is null");
        for (Input in : inputs) {
            for (int c : in.classes()) {
                if (c < 1 || c > numForeground) {
                    throw new PsaException("image " + in.id() + ": class id " + c + " outside 1.." + numForeground
                            + " (the network has " + numForeground + " foreground classes)");
                }
            }
        }
        Map<String, List<Integer>> bySize = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            INDArray img = inputs.get(i).image();
            bySize.computeIfAbsent(img.size(1) + "x" + img.size(2), k -> new ArrayList<>()).add(i);
        }
        CamSet[] out = new CamSet[inputs.size()];
        for (List<Integer> group : bySize.values()) {
            for (int from = 0; from < group.size(); from += config.batchSize()) {
                List<Integer> chunk = group.subList(from, Math.min(group.size(), from + config.batchSize()));
                List<Input> batch = chunk.stream().map(inputs::get).toList();
                List<CamSet> sets = computeSameSize(batch);
                for (int j = 0; j < chunk.size(); j++) {
                    out[chunk.get(j)] = sets.get(j);
                }
            }
        }
        return Arrays.asList(out);
    }

    private List<CamSet> computeSameSize(List<Input> batch) {
        int n = batch.size();
        int height = (int) batch.get(0).image().size(1);
        int width = (int) batch.get(0).image().size(2);
        INDArray images = Nd4j.createUninitialized(DataType.FLOAT, n, 3, height, width);
        for (int i = 0; i < n; i++) {
            images.putSlice(i, batch.get(i).image().castTo(DataType.FLOAT));
        }
        INDArray sum = Nd4j.zeros(DataType.FLOAT, n, numForeground, height, width);
        for (double s : config.scales()) {
            int hs = config.scaledSize(height, s);
            int ws = config.scaledSize(width, s);
            INDArray scaled = normalization.apply(config.pilBicubic() ? pilBicubic(images, hs, ws)
                    : Tensors.resizeBilinear(images, hs, ws));
            INDArray input = config.flip() ? Nd4j.concat(0, scaled, Tensors.flipLastAxis(scaled)) : scaled;
            INDArray cams = network.cams(input);
            if (cams.rank() != 4 || cams.size(0) != input.size(0) || cams.size(1) != numForeground) {
                throw new PsaException("CAM network returned " + Arrays.toString(cams.shape()) + " for input "
                        + Arrays.toString(input.shape()) + "; expected [" + input.size(0) + ", " + numForeground
                        + ", h, w]");
            }
            INDArray up = Tensors.resizeBilinear(cams.castTo(DataType.FLOAT), height, width);
            sum.addi(up.get(NDArrayIndex.interval(0, n)));
            if (config.flip()) {
                sum.addi(Tensors.flipLastAxis(up.get(NDArrayIndex.interval(n, 2 * n)).dup('c')));
            }
        }
        List<CamSet> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Input in = batch.get(i);
            int[] classes = in.classes();
            INDArray cams = Nd4j.createUninitialized(DataType.FLOAT, classes.length, height, width);
            for (int k = 0; k < classes.length; k++) {
                INDArray plane = sum.get(NDArrayIndex.point(i), NDArrayIndex.point(classes[k] - 1));
                double max = plane.maxNumber().doubleValue();
                cams.putSlice(k, plane.div(max + config.epsilon()));
            }
            out.add(new CamSet(in.id(), classes, cams));
        }
        return out;
    }

    /** [N, C, H, W] → [N, C, hs, ws], each image resized like Pillow's bicubic on 8 bits. */
    private static INDArray pilBicubic(INDArray images, int hs, int ws) {
        INDArray out = Nd4j.create(DataType.FLOAT, images.size(0), images.size(1), hs, ws);
        for (int i = 0; i < images.size(0); i++) {
            out.putSlice(i, PilBicubic.resize(images.slice(i), hs, ws));
        }
        return out;
    }
}
