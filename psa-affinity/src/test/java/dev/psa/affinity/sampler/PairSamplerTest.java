package dev.psa.affinity.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.affinity.AffinityLabels;
import dev.psa.affinity.LossWeights;
import dev.psa.api.AffinityStencil;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.PairClass;
import dev.psa.api.spi.PairSampler;
import dev.psa.api.spi.PairSamplerProvider;

class PairSamplerTest {
    /** Same map as AffinityLabelsTest: radius 2 gives 47 bg+, 38 fg+, 14 negative pairs. */
    static LabelMap handMap() {
        byte[] d = new byte[36];
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                d[y * 6 + x] = (byte) (x < 3 ? 0 : y == 5 ? 255 : 1);
            }
        }
        return new LabelMap(6, 6, d);
    }

    static INDArray classes(LabelMap... maps) {
        return AffinityLabels.pairClasses(List.of(maps), AffinityStencil.of(2));
    }

    static double sumWhere(INDArray weights, INDArray classes, int code) {
        return weights.mul(classes.eq(code).castTo(weights.dataType())).sumNumber().doubleValue();
    }

    static long countWhere(INDArray weights, INDArray classes, int code) {
        INDArray sel = classes.eq(code).castTo(weights.dataType()).muli(weights.gt(0).castTo(weights.dataType()));
        return sel.sumNumber().longValue();
    }

    @Test
    void balancedWeighsEachPairByItsSubsetsLossWeightOverItsCount() {
        INDArray c = classes(handMap());
        INDArray w = new BalancedPairSampler(LossWeights.REFERENCE).weights(c, new Random(0));
        assertThat(w.shape()).containsExactly(1, 4, 6, 6);
        // offset 0 = (0, 1): (0,0)-(0,1) bg+, (0,2)-(0,3) negative, (0,3)-(0,4) fg+, (0,5) partner outside
        assertThat(w.getDouble(0, 0, 0, 0)).isCloseTo(0.25 / 47, within(1e-8));
        assertThat(w.getDouble(0, 0, 0, 2)).isCloseTo(0.5 / 14, within(1e-8));
        assertThat(w.getDouble(0, 0, 0, 3)).isCloseTo(0.25 / 38, within(1e-8));
        assertThat(w.getDouble(0, 0, 0, 5)).isZero();
        assertThat(sumWhere(w, c, PairClass.BG_POSITIVE)).isCloseTo(0.25, within(1e-6));
        assertThat(sumWhere(w, c, PairClass.FG_POSITIVE)).isCloseTo(0.25, within(1e-6));
        assertThat(sumWhere(w, c, PairClass.NEGATIVE)).isCloseTo(0.5, within(1e-6));
        assertThat(sumWhere(w, c, PairClass.IGNORE)).isZero();
    }

    @Test
    void balancedCountsOverTheWholeBatchAndEmptySubsetsContributeNothing() {
        LabelMap allBg = LabelMap.filled(6, 6, 0);       // 110 bg+ pairs, nothing else
        INDArray c = classes(handMap(), allBg);
        INDArray w = new BalancedPairSampler(LossWeights.REFERENCE).weights(c, new Random(0));
        assertThat(w.getDouble(1, 0, 0, 0)).isCloseTo(0.25 / (47 + 110), within(1e-8));
        assertThat(sumWhere(w, c, PairClass.BG_POSITIVE)).isCloseTo(0.25, within(1e-6));
        INDArray only = classes(allBg);
        INDArray w2 = new BalancedPairSampler(LossWeights.REFERENCE).weights(only, new Random(0));
        assertThat(w2.sumNumber().doubleValue()).isCloseTo(0.25, within(1e-6));
    }

    @Test
    void stratifiedDrawsEqualNumbersPerSubsetSeeded() {
        INDArray c = classes(handMap());
        StratifiedPairSampler s = new StratifiedPairSampler(LossWeights.REFERENCE, 10);
        INDArray w = s.weights(c, new Random(7));
        // 10 ≤ 14, 38, 47: ten distinct pairs per subset, each weighing w_k / 10
        assertThat(countWhere(w, c, PairClass.BG_POSITIVE)).isEqualTo(10);
        assertThat(countWhere(w, c, PairClass.FG_POSITIVE)).isEqualTo(10);
        assertThat(countWhere(w, c, PairClass.NEGATIVE)).isEqualTo(10);
        assertThat(sumWhere(w, c, PairClass.NEGATIVE)).isCloseTo(0.5, within(1e-6));
        assertThat(w.maxNumber().doubleValue()).isCloseTo(0.05, within(1e-7));
        assertThat(sumWhere(w, c, PairClass.IGNORE)).isZero();
        assertThat(s.weights(c, new Random(7))).isEqualTo(w);
        assertThat(s.weights(c, new Random(8))).isNotEqualTo(w);
    }

    @Test
    void stratifiedDrawsWithReplacementFromSmallSubsets() {
        INDArray c = classes(handMap());
        INDArray w = new StratifiedPairSampler(LossWeights.REFERENCE, 20).weights(c, new Random(3));
        // 14 negatives < 20 draws: still 20 draws of 0.5/20 each, so multiplicities sum to 20
        INDArray neg = w.mul(c.eq(PairClass.NEGATIVE).castTo(w.dataType()));
        assertThat(neg.sumNumber().doubleValue()).isCloseTo(0.5, within(1e-6));
        assertThat(neg.div(0.5 / 20).sumNumber().doubleValue()).isCloseTo(20, within(1e-3));
        assertThat(countWhere(w, c, PairClass.NEGATIVE)).isBetween(1L, 14L);
        assertThat(countWhere(w, c, PairClass.BG_POSITIVE)).isEqualTo(20);
    }

    @Test
    void builtInSamplersAreFoundByNameAndEveryProviderIsRegistered() {
        ComponentConfig aff = ComponentConfig.ofStrings(Map.of("aff.loss-weight-neg", "1.0",
                "aff.stratified-pairs", "5")).scoped("aff.");
        // what the runtime's discovery sees: this module's META-INF/services (main) plus the test one
        Map<String, PairSamplerProvider> registered = new TreeMap<>();
        ServiceLoader.load(PairSamplerProvider.class, getClass().getClassLoader()).forEach(p -> registered.put(p.name(), p));
        PairSampler balanced = registered.get("balanced").create(aff);
        INDArray c = classes(handMap());
        assertThat(sumWhere(balanced.weights(c, new Random(0)), c, PairClass.NEGATIVE)).isCloseTo(1.0, within(1e-6));
        PairSampler stratified = registered.get("stratified").create(aff);
        assertThat(((StratifiedPairSampler) stratified).pairsPerSubset()).isEqualTo(5);
        assertThat(registered).containsOnlyKeys("balanced", "stratified", "every-pair-test");
        assertThat(registered.get("balanced")).isInstanceOf(BalancedPairSamplerProvider.class);
        PairSampler third = registered.get("every-pair-test").create(aff);
        assertThat(third).isInstanceOf(EveryPairTestSamplerProvider.EveryPair.class);
        assertThat(third.weights(c, new Random(0)).sumNumber().intValue()).isEqualTo(47 + 38 + 14);
    }
}
