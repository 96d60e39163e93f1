package dev.psa.affinity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.affinity.sampler.BalancedPairSampler;
import dev.psa.api.AffinityStencil;
import dev.psa.api.LabelMap;
import dev.psa.api.spi.FeatureTap;
import dev.psa.api.spi.PairClass;
import dev.psa.api.spi.ParamRole;

/** The head, affinity and loss in double precision: forward against plain Java, gradients against finite differences. */
class AffinityNetGradientTest {
    static final int N = 2;
    static final int H = 4;
    static final int W = 5;

    record Fixture(SameDiff sd, Map<String, ParamRole> roles, Map<String, INDArray> feed, INDArray classes,
                   INDArray weights, AffinityStencil stencil) {
    }

    static Fixture fixture(int[] channels, boolean groupNorm, long seed) {
        Random rng = new Random(seed);
        SameDiff sd = SameDiff.create();
        List<FeatureTap> taps = new ArrayList<>();
        int[] in = {3, 4, 5};
        Map<String, ParamRole> roles = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            INDArray v = Nd4j.rand(DataType.DOUBLE, N, in[i], H, W).subi(0.5).muli(2);
            // the taps are variables too, so the check also covers the gradient flowing back into the backbone
            SDVariable t = sd.var("tap" + i, v);
            roles.put("tap" + i, ParamRole.WEIGHT);
            taps.add(new FeatureTap("tap" + i, t, 8, in[i]));
        }
        SDVariable f = AffinityNet.head(sd, taps, channels, groupNorm, seed, roles);
        AffinityStencil stencil = AffinityStencil.of(3);
        SDVariable aff = AffinityNet.affinity(sd, f, stencil);
        SDVariable wts = sd.placeHolder(AffinityNet.PAIR_WEIGHTS, DataType.DOUBLE, -1, stencil.size(), -1, -1);
        SDVariable pos = sd.placeHolder(AffinityNet.PAIR_POSITIVE, DataType.DOUBLE, -1, stencil.size(), -1, -1);
        sd.setLossVariables(AffinityNet.loss(sd, aff, wts, pos, 1e-5));
        List<LabelMap> labels = new ArrayList<>();
        int[] values = {0, 0, 1, 2, 255};
        for (int n = 0; n < N; n++) {
            byte[] d = new byte[H * W];
            for (int i = 0; i < d.length; i++) {
                d[i] = (byte) values[rng.nextInt(values.length)];
            }
            labels.add(new LabelMap(H, W, d));
        }
        INDArray classes = AffinityLabels.pairClasses(labels, stencil);
        INDArray weights = new BalancedPairSampler(LossWeights.REFERENCE).weights(classes, rng).castTo(DataType.DOUBLE);
        INDArray positive = AffinityLabels.positiveMask(classes).castTo(DataType.DOUBLE);
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(AffinityNet.PAIR_WEIGHTS, weights);
        feed.put(AffinityNet.PAIR_POSITIVE, positive);
        return new Fixture(sd, roles, feed, classes, weights, stencil);
    }

    static double loss(Fixture fx) {
        return fx.sd().output(fx.feed(), AffinityNet.LOSS).get(AffinityNet.LOSS).getDouble(0);
    }

    @Test
    void forwardMatchesPlainJava() {
        Fixture fx = fixture(new int[] {2, 3, 3}, false, 1);
        Map<String, INDArray> out = fx.sd().output(fx.feed(), AffinityNet.FEATURES, AffinityNet.AFFINITY, AffinityNet.LOSS);
        INDArray f = out.get(AffinityNet.FEATURES);
        INDArray aff = out.get(AffinityNet.AFFINITY);
        assertThat(f.shape()).containsExactly(N, 8, H, W);
        assertThat(aff.shape()).containsExactly(N, fx.stencil().size(), H, W);
        double expectedLoss = 0;
        int checked = 0;
        for (int n = 0; n < N; n++) {
            for (int o = 0; o < fx.stencil().size(); o++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        int ty = y + fx.stencil().dy(o);
                        int tx = x + fx.stencil().dx(o);
                        double sum = 0;
                        for (int c = 0; c < 8; c++) {
                            double other = ty < H && tx >= 0 && tx < W ? f.getDouble(n, c, ty, tx) : 0;
                            sum += Math.abs(f.getDouble(n, c, y, x) - other);
                        }
                        double w = Math.exp(-sum / 8);
                        assertThat(aff.getDouble(n, o, y, x)).isCloseTo(w, within(1e-12));
                        int cls = fx.classes().getInt(n, o, y, x);
                        double l = cls == PairClass.NEGATIVE ? -Math.log(1 + 1e-5 - w) : -Math.log(w + 1e-5);
                        expectedLoss += fx.weights().getDouble(n, o, y, x) * (cls == PairClass.IGNORE ? 0 : l);
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(N * 12 * H * W);
        assertThat(out.get(AffinityNet.LOSS).getDouble(0)).isCloseTo(expectedLoss, within(1e-10));
        // the loss weights of balanced sum to 1 when all three subsets are present, and W < 1: loss > 0
        assertThat(expectedLoss).isPositive();
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Fixture fx = fixture(new int[] {2, 3, 3}, false, 2);
        for (String head : AffinityNet.HEAD_CONVS) {
            assertThat(fx.roles().get(head + ".weight")).isEqualTo(ParamRole.NEW_WEIGHT);
        }
        checkGradients(fx, fx.roles().keySet(), true);
    }

    @Test
    void headWithGroupNormHasItsParametersAndShape() {
        Fixture fx = fixture(new int[] {8, 8, 16}, true, 3);
        assertThat(fx.roles()).containsKeys("gn8_3.weight", "gn8_3.bias", "gn8_4.weight", "gn8_5.weight");
        assertThat(fx.roles().get("gn8_5.weight")).isEqualTo(ParamRole.NEW_WEIGHT);
        assertThat(fx.roles().get("gn8_5.bias")).isEqualTo(ParamRole.NEW_BIAS);
        INDArray f = fx.sd().output(fx.feed(), AffinityNet.FEATURES).get(AffinityNet.FEATURES);
        assertThat(f.shape()).containsExactly(N, 32, H, W);
    }

    @Test
    void groupNormMatchesPlainJavaAndFiniteDifferences() {
        // 16 channels = 2 groups of 8; loss = Σ r ⊙ GN(x) with fixed random r
        SameDiff sd = SameDiff.create();
        INDArray xv = Nd4j.rand(DataType.DOUBLE, N, 16, H, W).muli(3).subi(1);
        SDVariable x = sd.var("x", xv);
        Map<String, ParamRole> roles = new LinkedHashMap<>();
        SDVariable gn = AffinityNet.groupNorm(sd, "gn", x, 16, DataType.DOUBLE, roles);
        sd.getArrForVarName("gn.weight").assign(Nd4j.rand(DataType.DOUBLE, 1, 16, 1, 1).addi(0.5));
        sd.getArrForVarName("gn.bias").assign(Nd4j.rand(DataType.DOUBLE, 1, 16, 1, 1));
        SDVariable r = sd.constant("r", Nd4j.rand(DataType.DOUBLE, N, 16, H, W));
        sd.setLossVariables(gn.mul("weighted", r).sum(AffinityNet.LOSS));
        INDArray out = sd.output(Map.of(), "gn/out").get("gn/out");
        INDArray gamma = sd.getArrForVarName("gn.weight");
        INDArray beta = sd.getArrForVarName("gn.bias");
        for (int n = 0; n < N; n++) {
            for (int g = 0; g < 2; g++) {
                double sum = 0;
                double sq = 0;
                int count = 8 * H * W;
                for (int c = 8 * g; c < 8 * g + 8; c++) {
                    for (int y = 0; y < H; y++) {
                        for (int xx = 0; xx < W; xx++) {
                            sum += xv.getDouble(n, c, y, xx);
                        }
                    }
                }
                double mean = sum / count;
                for (int c = 8 * g; c < 8 * g + 8; c++) {
                    for (int y = 0; y < H; y++) {
                        for (int xx = 0; xx < W; xx++) {
                            sq += Math.pow(xv.getDouble(n, c, y, xx) - mean, 2);
                        }
                    }
                }
                double std = Math.sqrt(sq / count + 1e-5);
                for (int c = 8 * g; c < 8 * g + 8; c += 3) {
                    double expected = (xv.getDouble(n, c, 2, 3) - mean) / std * gamma.getDouble(0, c, 0, 0)
                            + beta.getDouble(0, c, 0, 0);
                    assertThat(out.getDouble(n, c, 2, 3)).isCloseTo(expected, within(1e-10));
                }
            }
        }
        roles.put("x", ParamRole.WEIGHT);
        Fixture fx = new Fixture(sd, roles, new HashMap<>(), null, null, null);
        checkGradients(fx, roles.keySet(), false);
    }

    /**
     * The directional derivative (L(θ + h·v) − L(θ − h·v)) / 2h against Σ g·v, along one random
     * direction v over all parameters and, for each tensor in {@code separately}, along a random
     * direction restricted to that tensor (two forward passes each, every element takes part);
     * with {@code elements}, also single elements of the four head convs.
     */
    private static void checkGradients(Fixture fx, java.util.Collection<String> separately, boolean elements) {
        List<String> names = new ArrayList<>(fx.roles().keySet());
        Map<String, INDArray> grads = fx.sd().calculateGradients(fx.feed(), names);
        double h = 1e-6;
        Map<String, INDArray> origs = new HashMap<>();
        Map<String, INDArray> dirs = new HashMap<>();
        double expected = 0;
        for (String name : names) {
            INDArray p = fx.sd().getArrForVarName(name);
            origs.put(name, p.dup());
            dirs.put(name, Nd4j.rand(DataType.DOUBLE, p.shape()).subi(0.5));
            expected += grads.get(name).mul(dirs.get(name)).sumNumber().doubleValue();
        }
        double[] sides = new double[2];
        for (int side = 0; side < 2; side++) {
            for (String name : names) {
                fx.sd().getArrForVarName(name).assign(origs.get(name).add(dirs.get(name).mul(side == 0 ? h : -h)));
            }
            sides[side] = loss(fx);
        }
        for (String name : names) {
            fx.sd().getArrForVarName(name).assign(origs.get(name));
        }
        assertClose("all parameters along a random direction", (sides[0] - sides[1]) / (2 * h), expected);
        for (String name : separately) {
            INDArray p = fx.sd().getArrForVarName(name);
            INDArray g = grads.get(name);
            assertThat(g).as("gradient of " + name).isNotNull();
            INDArray v = Nd4j.rand(DataType.DOUBLE, p.shape()).subi(0.5);
            INDArray orig = p.dup();
            p.assign(orig.add(v.mul(h)));
            double up = loss(fx);
            p.assign(orig.sub(v.mul(h)));
            double down = loss(fx);
            p.assign(orig);
            assertClose(name + " along a random direction", (up - down) / (2 * h), g.mul(v).sumNumber().doubleValue());
        }
        for (String head : elements ? AffinityNet.HEAD_CONVS : List.<String>of()) {
            INDArray p = fx.sd().getArrForVarName(head + ".weight");
            long i = p.length() / 2;
            double orig = p.getDouble(i);
            p.putScalar(i, orig + h);
            double up = loss(fx);
            p.putScalar(i, orig - h);
            double down = loss(fx);
            p.putScalar(i, orig);
            assertClose(head + ".weight[" + i + "]", (up - down) / (2 * h), grads.get(head + ".weight").getDouble(i));
        }
    }

    private static void assertClose(String what, double numeric, double analytic) {
        double scale = Math.max(1e-6, Math.abs(numeric) + Math.abs(analytic));
        assertThat(Math.abs(numeric - analytic) / scale)
                .as(what + ": numeric " + numeric + " vs analytic " + analytic).isLessThan(1e-5);
    }
}
