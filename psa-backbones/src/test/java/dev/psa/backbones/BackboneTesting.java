package dev.psa.backbones;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneGraph;
import dev.psa.api.spi.BuildOptions;
import dev.psa.api.spi.FeatureTap;
import dev.psa.api.spi.ParamRole;

/** Helpers shared by the backbone tests. */
public final class BackboneTesting {
    private BackboneTesting() {
    }

    /** A graph with a {@code [-1, 3, -1, -1]} float placeholder named {@code input} and the backbone built on it. */
    public record Built(SameDiff sd, BackboneGraph graph) {
        /** Runs the graph and returns the output and the taps, by tap name (output under "output"). */
        public Map<String, INDArray> run(INDArray input) {
            List<String> names = new java.util.ArrayList<>();
            names.add(graph.output().variable().name());
            for (FeatureTap t : graph.affinityTaps()) {
                names.add(t.variable().name());
            }
            Map<String, INDArray> got = sd.output(Map.of("input", input), names.toArray(String[]::new));
            Map<String, INDArray> out = new LinkedHashMap<>();
            out.put("output", got.get(graph.output().variable().name()));
            for (FeatureTap t : graph.affinityTaps()) {
                out.put(t.name(), got.get(t.variable().name()));
            }
            return out;
        }

        public long count(java.util.function.Predicate<ParamRole> which) {
            long n = 0;
            for (Map.Entry<String, ParamRole> e : graph.params().entrySet()) {
                if (which.test(e.getValue())) {
                    n += sd.getVariable(e.getKey()).getArr().length();
                }
            }
            return n;
        }
    }

    public static Built build(Backbone backbone, BuildOptions options) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("input", DataType.FLOAT, -1, 3, -1, -1);
        return new Built(sd, backbone.build(sd, in, options));
    }

    /** Deterministic pseudo-random input [n, 3, h, w] float32 in about [-2, 2]. */
    public static INDArray input(int n, int h, int w, long seed) {
        return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), n, 3, h, w)
                .castTo(DataType.FLOAT).muli(4).subi(2);
    }
}
