package dev.psa.seg;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.PsaException;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneGraph;
import dev.psa.api.spi.BuildOptions;
import dev.psa.api.spi.ParamRole;
import dev.psa.api.spi.SegHead;
import dev.psa.api.spi.SegHeadGraph;

/**
 * The segmentation network (REFERENCE.md §Stage 5): a backbone's stride-8 output tap → a
 * {@link SegHead} → K class scores at stride 8. The training graph adds the per-pixel cross-entropy
 * {@code −Σ onehot · log softmax(scores) / (number of labelled cells)}, where the one-hot target of a
 * cell labelled 255 is all zero (ignored).
 *
 * <p>Graph variables: placeholders {@value #INPUT} [N, 3, H, W] (normalised), in the training graph
 * {@value #TARGET} [N, K, h, w] (one-hot, zero where ignored) and {@value #NORM} [] (1 / labelled
 * cells); outputs {@value #SCORES} [N, K, h, w], {@value #PROBS} (softmax over K), {@value #LOSS}.
 */
public final class SegNet {
    public static final String INPUT = "seg_input";
    public static final String TARGET = "seg_target";
    public static final String NORM = "seg_norm";
    public static final String SCORES = "seg_scores";
    public static final String PROBS = "seg_probs";
    public static final String LOSS = "seg_loss";

    private final SameDiff graph;
    private final Map<String, ParamRole> roles;
    private final Map<String, ParamRole> backboneParams;
    private final int numClasses;
    private final boolean training;

    private final List<SegHeadGraph.DropoutMask> dropout;

    private SegNet(SameDiff graph, Map<String, ParamRole> roles, Map<String, ParamRole> backboneParams, int numClasses,
                   boolean training, List<SegHeadGraph.DropoutMask> dropout) {
        this.dropout = dropout;
        this.graph = graph;
        this.roles = roles;
        this.backboneParams = backboneParams;
        this.numClasses = numClasses;
        this.training = training;
    }

    /**
     * @param numClasses K, background included
     * @param training   dropout and the loss's placeholders; false: the inference graph
     * @param seed       initialisation seed of backbone and head
     */
    public static SegNet build(Backbone backbone, SegHead head, int numClasses, boolean training, long seed) {
        requireNonNull(backbone, "backbone is null");
        requireNonNull(head, "head is null");
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2 (background and one class), got " + numClasses);
        }
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder(INPUT, DataType.FLOAT, -1, 3, -1, -1);
        BackboneGraph bg = backbone.build(sd, input, new BuildOptions(BuildOptions.Purpose.CLASSIFICATION, training, seed));
        SegHeadGraph hg = head.build(sd, bg.output().variable(), bg.output().channels(), numClasses, training, seed);
        SDVariable scores = sd.identity(SCORES, hg.scores());
        sd.nn().softmax(PROBS, scores, 1);
        if (training) {
            SDVariable target = sd.placeHolder(TARGET, DataType.FLOAT, -1, numClasses, -1, -1);
            SDVariable norm = sd.placeHolder(NORM, DataType.FLOAT);
            // log softmax written out (ND4J 1.0.0-M2.1's log_softmax op has no usable derivative): the max
            // only keeps exp() finite; its terms cancel, in value and in gradient
            SDVariable max = scores.max("seg_max", true, 1);
            SDVariable shifted = scores.sub("seg_shifted", max);
            SDVariable lse = sd.math().log("seg_lse", sd.math().exp("seg_exp", shifted).sum("seg_expsum", true, 1));
            SDVariable logp = shifted.sub("seg_logp", lse);
            SDVariable picked = sd.sum("seg_picked", logp.mul("seg_logp_target", target));
            picked.mul("seg_loss_scaled", norm).neg(LOSS);
        }
        Map<String, ParamRole> roles = new LinkedHashMap<>(bg.params());
        for (Map.Entry<String, ParamRole> e : hg.params().entrySet()) {
            if (roles.containsKey(e.getKey())) {
                throw new PsaException("head " + head.name() + " defines parameter " + e.getKey()
                        + ", which backbone " + backbone.name() + " already has");
            }
            roles.put(e.getKey(), e.getValue());
        }
        return new SegNet(sd, Map.copyOf(roles), Map.copyOf(bg.params()), numClasses, training, hg.dropout());
    }

    public SameDiff graph() {
        return graph;
    }

    /** Every parameter with its role (the head's are new layers). */
    public Map<String, ParamRole> roles() {
        return roles;
    }

    /** The backbone's parameters (what an initialisation from ImageNet weights or the classifier sets). */
    public Map<String, ParamRole> backboneParams() {
        return backboneParams;
    }

    /** The head's dropout mask placeholders (training graph). */
    public List<SegHeadGraph.DropoutMask> dropout() {
        return dropout;
    }

    public int numClasses() {
        return numClasses;
    }

    public boolean training() {
        return training;
    }

    /** The current value of every parameter, by name. */
    public Map<String, INDArray> params() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String name : roles.keySet()) {
            out.put(name, graph.getVariable(name).getArr());
        }
        return out;
    }

    /**
     * Sets parameters by name.
     *
     * @param params   arrays by variable name (names this graph lacks are ignored)
     * @param required names that must all be present
     * @param source   named in errors (a file)
     * @throws PsaException listing missing and misshaped names together
     */
    public void load(Map<String, INDArray> params, Set<String> required, String source) {
        requireNonNull(params, "params is null");
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(params.keySet());
        Set<String> misshaped = new TreeSet<>();
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            if (!roles.containsKey(e.getKey())) {
                continue;
            }
            INDArray current = graph.getVariable(e.getKey()).getArr();
            if (!Arrays.equals(current.shape(), e.getValue().shape())) {
                misshaped.add(e.getKey() + " (graph " + Arrays.toString(current.shape()) + ", file "
                        + Arrays.toString(e.getValue().shape()) + ")");
                continue;
            }
            current.assign(e.getValue().castTo(current.dataType()));
        }
        if (!missing.isEmpty() || !misshaped.isEmpty()) {
            throw new PsaException(source + ": cannot load segmentation network parameters"
                    + (missing.isEmpty() ? "" : "; missing " + missing)
                    + (misshaped.isEmpty() ? "" : "; wrong shape " + misshaped)
                    + ". Was it written by train-seg with this backbone, head and number of classes?");
        }
    }

    /**
     * Class probabilities of a batch (inference graph).
     *
     * @param images [N, 3, H, W] float32, normalised
     * @return [N, K, ceil(H/8), ceil(W/8)] float32, softmax over K
     */
    public INDArray probabilities(INDArray images) {
        if (training) {
            throw new IllegalStateException("use the inference graph (training = false) for predictions");
        }
        return graph.output(Map.of(INPUT, images), PROBS).get(PROBS);
    }
}
