package dev.psa.affinity;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import dev.psa.api.AffinityGraph;
import dev.psa.api.AffinityStencil;
import dev.psa.api.PsaException;
import dev.psa.api.Shapes;
import dev.psa.api.io.Npy;
import dev.psa.api.spi.Backbone;
import java.util.Arrays;

/**
 * A trained AffinityNet for inference: per image, the affinity graph the random walk consumes
 * (REFERENCE.md §Stage 4). The image is normalised, padded at the bottom/right to a multiple of 8
 * (zeros after normalisation, as the training crop pads) and passed once (single scale, no flip).
 * Calls are serialised (one graph per predictor).
 */
public final class AffinityPredictor {
    private final AffinityNet.Built net;
    private final Backbone backbone;

    /**
     * @param backbone the backbone the model was trained with
     * @param config   radius, head channels, eps (must match the trained model)
     * @param params   every parameter by SameDiff variable name (e.g. from {@code aff/model.npz})
     * @throws PsaException listing missing, unexpected and misshaped parameters together
     */
    public AffinityPredictor(Backbone backbone, AffConfig config, Map<String, INDArray> params) {
        this.backbone = requireNonNull(backbone, "backbone is null");
        requireNonNull(config, "config is null");
        requireNonNull(params, "params is null");
        this.net = AffinityNet.build(backbone, config.stencil(), config.headChannels(), config.eps(), false,
                config.seed());
        List<String> problems = new ArrayList<>();
        Set<String> missing = new TreeSet<>(net.roles().keySet());
        missing.removeAll(params.keySet());
        Set<String> unexpected = new TreeSet<>(params.keySet());
        unexpected.removeAll(net.roles().keySet());
        if (!missing.isEmpty()) {
            problems.add("missing " + missing);
        }
        if (!unexpected.isEmpty()) {
            problems.add("unexpected " + unexpected);
        }
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            if (net.roles().containsKey(e.getKey())) {
                INDArray target = net.sd().getArrForVarName(e.getKey());
                if (!Arrays.equals(target.shape(), e.getValue().shape())) {
                    problems.add(e.getKey() + ": model has " + Arrays.toString(e.getValue().shape())
                            + ", graph expects " + Arrays.toString(target.shape()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new PsaException("AffinityNet parameters do not fit backbone " + backbone.name() + " with aff.radius "
                    + config.radius() + " and aff.head-channels " + Arrays.toString(config.headChannels())
                    + ": " + String.join("; ", problems));
        }
        params.forEach((name, value) -> {
            INDArray target = net.sd().getArrForVarName(name);
            target.assign(value.castTo(target.dataType()));
        });
    }

    /** Loads {@code aff/model.npz} (written by {@link AffinityStage}). */
    public static AffinityPredictor load(Path modelNpz, Backbone backbone, AffConfig config) {
        requireNonNull(modelNpz, "modelNpz is null");
        try {
            return new AffinityPredictor(backbone, config, Npy.readNpz(modelNpz));
        } catch (PsaException e) {
            throw new PsaException(modelNpz + ": " + e.getMessage(), e);
        }
    }

    public AffinityStencil stencil() {
        return net.stencil();
    }

    /**
     * @param image [3, H, W] float32 RGB in [0, 255], not normalised
     * @return the affinities on the ceil(H/8)×ceil(W/8) grid: weights [O, h, w] in [0, 1], entries
     *     whose partner lies outside the grid 0
     */
    public AffinityGraph predict(INDArray image) {
        Shapes.check("image", "[3, H, W]", image, 3, -1, -1);
        int height = (int) image.size(1);
        int width = (int) image.size(2);
        int h = Shapes.strided(height, 8);
        int w = Shapes.strided(width, 8);
        INDArray norm = backbone.normalization().apply(image.castTo(DataType.FLOAT));
        INDArray padded = Nd4j.zeros(DataType.FLOAT, 1, 3, h * 8, w * 8);
        padded.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.interval(0, height),
                NDArrayIndex.interval(0, width)).assign(norm);
        INDArray out;
        synchronized (this) {
            out = net.sd().output(Map.of(AffinityNet.IMAGE, padded), AffinityNet.AFFINITY).get(AffinityNet.AFFINITY);
        }
        if (out.size(2) != h || out.size(3) != w) {
            throw new PsaException("backbone " + backbone.name() + " gave a " + out.size(2) + "x" + out.size(3)
                    + " affinity grid for a " + (h * 8) + "x" + (w * 8) + " input; expected " + h + "x" + w);
        }
        INDArray weights = out.get(NDArrayIndex.point(0)).castTo(DataType.FLOAT).dup('c')
                .muli(AffinityLabels.partnerInside(h, w, net.stencil()));
        return new AffinityGraph(net.stencil(), weights);
    }
}
