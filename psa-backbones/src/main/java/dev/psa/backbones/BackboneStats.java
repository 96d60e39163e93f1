package dev.psa.backbones;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneGraph;
import dev.psa.api.spi.BuildOptions;
import dev.psa.api.spi.ParamRole;

/**
 * Parameter counts and shapes of a backbone, found by building it into a scratch graph (so it
 * works for plugin backbones too). Building allocates the parameters once (ResNet-38: ~420 MB,
 * about a second).
 *
 * @param name      the backbone's name
 * @param trainable elements of every parameter whose role is not {@link ParamRole#FROZEN}
 * @param total     elements of every parameter (frozen ones and batch-norm statistics included)
 * @param shapes    SameDiff shape of each parameter, by name, in creation order
 * @param roles     role of each parameter
 */
public record BackboneStats(String name, long trainable, long total, Map<String, long[]> shapes,
                            Map<String, ParamRole> roles) {
    public BackboneStats {
        requireNonNull(name, "name is null");
        shapes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
        roles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    }

    /** Builds the backbone (classification purpose, inference graph, seed 0) and counts. */
    public static BackboneStats of(Backbone backbone) {
        requireNonNull(backbone, "backbone is null");
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("input", DataType.FLOAT, -1, 3, -1, -1);
        BackboneGraph g = backbone.build(sd, in, new BuildOptions(BuildOptions.Purpose.CLASSIFICATION, false, 0));
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
        return new BackboneStats(backbone.name(), trainable, total, shapes, roles);
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
