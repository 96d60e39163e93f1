package dev.psa.train.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import dev.psa.api.spi.ParamRole;
import dev.psa.train.TrainConfig;

/**
 * Adam through ND4J's own {@link AdamUpdater} (one per parameter, its M and V state arrays being this
 * optimizer's {@code adam-m} / {@code adam-v} buffers). Step {@code t} (1-based, counted per parameter):
 * {@code d = g + wd·w} (decayed roles only: L2 added to the gradient like {@code torch.optim.Adam}'s
 * {@code weight_decay}), {@code m = β1·m + (1−β1)·d}, {@code v = β2·v + (1−β2)·d²},
 * {@code w −= α_t · m / (√v + ε)} with {@code α_t = lr·mult·√(1−β2^t)/(1−β1^t)} — ND4J's form (Kingma
 * &amp; Ba's "efficient version"), whose ε is PyTorch's ε·√(1−β2^t); the same up to that rescaled ε.
 * The learning rate is the poly-decayed one times the role multiplier, as for SGD.
 */
final class AdamOptimizer implements Optimizer {
    static final List<String> BUFFERS = List.of("adam-m", "adam-v");

    private final double weightDecay;
    private final Map<String, INDArray> m = new TreeMap<>();
    private final Map<String, INDArray> v = new TreeMap<>();
    private final Map<String, Long> steps = new TreeMap<>();
    private final Map<String, Adam> configs = new TreeMap<>();
    private final Map<String, GradientUpdater<?>> updaters = new TreeMap<>();

    AdamOptimizer(TrainConfig config, Map<String, INDArray> params) {
        this.weightDecay = config.weightDecay();
        params.forEach((name, w) -> {
            INDArray mm = Nd4j.zeros(w.dataType(), w.shape());
            INDArray vv = Nd4j.zeros(w.dataType(), w.shape());
            Adam adam = new Adam(config.lr(), config.beta1(), config.beta2(), config.eps());
            m.put(name, mm);
            v.put(name, vv);
            steps.put(name, 0L);
            configs.put(name, adam);
            updaters.put(name, adam.instantiate(Map.of(AdamUpdater.M_STATE, mm, AdamUpdater.V_STATE, vv), false));
        });
    }

    @Override
    public void update(String name, INDArray w, INDArray g, ParamRole role, double lr) {
        if (role == ParamRole.FROZEN) {
            return;
        }
        INDArray d = g.dataType() == w.dataType() ? g.dup() : g.castTo(w.dataType());
        if (role.decayed() && weightDecay != 0) {
            d.addi(w.mul(weightDecay));
        }
        configs.get(name).setLearningRate(lr * role.lrMultiplier());
        long t = steps.get(name);
        updaters.get(name).applyUpdater(d, Math.toIntExact(t), 0); // d becomes the step α_t·m/(√v+ε)
        w.subi(d);
        steps.put(name, t + 1);
    }

    @Override
    public Map<String, Map<String, INDArray>> buffers() {
        return Map.of("adam-m", m, "adam-v", v);
    }

    @Override
    public Map<String, Long> updates() {
        return steps;
    }

    @Override
    public List<String> load(Map<String, Map<String, INDArray>> buffers, Map<String, Long> updates) {
        List<String> problems = SgdOptimizer.restore(buffers, Map.of("adam-m", m, "adam-v", v));
        for (String name : steps.keySet()) {
            Long t = updates.get(name);
            if (t == null || t < 0) {
                problems.add("Adam's update count of parameter '" + name + "' is missing");
            } else {
                steps.put(name, t);
            }
        }
        return problems;
    }
}
