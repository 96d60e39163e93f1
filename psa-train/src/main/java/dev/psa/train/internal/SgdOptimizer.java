package dev.psa.train.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.spi.ParamRole;
import dev.psa.train.TrainConfig;

/** SGD with momentum ({@link Sgd#update}); its state is one momentum buffer per parameter. */
final class SgdOptimizer implements Optimizer {
    static final List<String> BUFFERS = List.of("momentum");

    private final double weightDecay;
    private final double momentum;
    private final Map<String, INDArray> velocity = new TreeMap<>();

    SgdOptimizer(TrainConfig config, Map<String, INDArray> params) {
        this.weightDecay = config.weightDecay();
        this.momentum = config.momentum();
        params.forEach((name, w) -> velocity.put(name, Nd4j.zeros(w.dataType(), w.shape())));
    }

    @Override
    public void update(String name, INDArray w, INDArray g, ParamRole role, double lr) {
        Sgd.update(w, g, velocity.get(name), role, lr, weightDecay, momentum);
    }

    @Override
    public Map<String, Map<String, INDArray>> buffers() {
        return Map.of("momentum", velocity);
    }

    @Override
    public Map<String, Long> updates() {
        return Map.of();
    }

    @Override
    public List<String> load(Map<String, Map<String, INDArray>> buffers, Map<String, Long> updates) {
        return restore(buffers, Map.of("momentum", velocity));
    }

    /** Copies each saved buffer into the live one; the problems found. */
    static List<String> restore(Map<String, Map<String, INDArray>> saved, Map<String, Map<String, INDArray>> live) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Map<String, INDArray>> set : live.entrySet()) {
            Map<String, INDArray> from = saved.get(set.getKey());
            if (from == null) {
                problems.add("the optimizer's '" + set.getKey() + "' buffers are missing");
                continue;
            }
            for (Map.Entry<String, INDArray> e : set.getValue().entrySet()) {
                INDArray a = from.get(e.getKey());
                if (a == null) {
                    problems.add("'" + set.getKey() + "' buffer of parameter '" + e.getKey() + "' is missing");
                } else if (!Arrays.equals(a.shape(), e.getValue().shape())) {
                    problems.add("'" + set.getKey() + "' buffer of parameter '" + e.getKey() + "' has shape "
                            + Arrays.toString(a.shape()) + ", expected " + Arrays.toString(e.getValue().shape()));
                } else {
                    e.getValue().assign(a.castTo(e.getValue().dataType()));
                }
            }
        }
        return problems;
    }
}
