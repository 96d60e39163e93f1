package dev.psa.backbones;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneGraph;
import dev.psa.api.spi.BuildOptions;
import dev.psa.api.spi.FeatureTap;
import dev.psa.api.spi.ParamRole;

/**
 * Parameter counts and shapes of a backbone, found by building it into a scratch graph (so it
 * works for plugin backbones too) with {@code BuildOptions.initialise} false: the parameters are
 * allocated (ResNet-38: ~420 MB of address space) but not drawn, which the built-in backbones honour.
 *
 * @param name      the backbone's name
 * @param trainable elements of every parameter whose role is not {@link ParamRole#FROZEN}
 * @param total     elements of every parameter (frozen ones and batch-norm statistics included)
 * @param shapes    SameDiff shape of each parameter, by name, in creation order
 * @param roles     role of each parameter
 * @param outputChannels channels of the output feature map (the classifier's {@code fc8} input)
 * @param tapChannels    channels of the three affinity taps, shallow to deep (AffinityNet's
 *                       {@code f8_3}, {@code f8_4}, {@code f8_5} inputs)
 * @param groupNormHead  {@link Backbone#groupNormInAffinityHead()}: AffinityNet adds GroupNorms
 *                       {@code gn8_3..5} after the tap convs
 */
public record BackboneStats(String name, long trainable, long total, Map<String, long[]> shapes,
                            Map<String, ParamRole> roles, int outputChannels, List<Integer> tapChannels,
                            boolean groupNormHead) {
    public BackboneStats {
        requireNonNull(name, "name is null");
        shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
        roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
        tapChannels = List.copyOf(tapChannels);
    }

    /** Builds the backbone (classification purpose, inference graph, parameters not initialised) and counts. */
    public static BackboneStats of(Backbone backbone) {
        requireNonNull(backbone, "backbone is null");
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("input", DataType.FLOAT, -1, 3, -1, -1);
        BackboneGraph g = backbone.build(sd, in, new BuildOptions(BuildOptions.Purpose.CLASSIFICATION, false, 0,
                false));
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, ParamRole> roles = new LinkedHashMap<>();
        long trainable = 0;
        long total = 0;
        for (String p : sd.variableMap().keySet()) {
            ParamRole role = g.params().get(p);
            if (role == null) {
                continue;
            }
            long n = sd.getVariable(p).getArr().length();
            shapes.put(p, sd.getVariable(p).getArr().shape());
            roles.put(p, role);
            total += n;
            trainable += role == ParamRole.FROZEN ? 0 : n;
        }
        List<Integer> taps = g.affinityTaps().stream().map(FeatureTap::channels).toList();
        return new BackboneStats(backbone.name(), trainable, total, shapes, roles, g.output().channels(), taps,
                backbone.groupNormInAffinityHead());
    }

    /** Elements of the backbone's non-frozen parameters, e.g. 104,202,240 for {@code resnet38}. */
    public static long trainableParams(Backbone backbone) {
        return of(backbone).trainable();
    }

    /** The {@code psa plugins --details} line: {@code <name> params=<trainable>}. */
    public String detailsLine() {
        return name + " params=" + trainable;
    }
}
