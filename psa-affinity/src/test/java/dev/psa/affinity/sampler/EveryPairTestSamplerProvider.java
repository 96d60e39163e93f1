package dev.psa.affinity.sampler;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.PairSampler;
import dev.psa.api.spi.PairSamplerProvider;

/** A third-party sampler, registered only through test META-INF/services: weight 1 on every labelled pair. */
public final class EveryPairTestSamplerProvider implements PairSamplerProvider {
    static final class EveryPair implements PairSampler {
        @Override
        public INDArray weights(INDArray pairClasses, Random rng) {
            return pairClasses.gt(0).castTo(DataType.FLOAT);
        }
    }

    @Override
    public String name() {
        return "every-pair-test";
    }

    @Override
    public PairSampler create(ComponentConfig config) {
        return new EveryPair();
    }
}
