package dev.psa.backbones.inference;

import java.util.List;

/** One recorded layer: the names of the SameDiff variables it reads and the one it writes. */
sealed interface Step permits Step.Conv, Step.BatchNorm, Step.Relu, Step.Add, Step.MaxPool, Step.Dropout {
    List<String> inputs();

    String output();

    /**
     * A k×k convolution, YXIO weight {@code [k, k, in, out]}; explicit symmetric padding
     * {@code dilation·(k−1)/2} unless {@code same}.
     */
    record Conv(String input, String output, String weight, String bias, int k, int stride, int dilation, boolean same)
            implements Step {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Frozen batch norm: x·γ/√(var+ε) + (β − mean·γ/√(var+ε)). */
    record BatchNorm(String input, String output, String gamma, String beta, String mean, String var, double eps)
            implements Step {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    record Relu(String input, String output) implements Step {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    record Add(String a, String b, String output) implements Step {
        @Override
        public List<String> inputs() {
            return List.of(a, b);
        }
    }

    /** Max pooling k×k, explicit symmetric padding (padded cells never win). */
    record MaxPool(String input, String output, int k, int stride, int pad) implements Step {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Training-only: a graph that needs it has no eager inference. */
    record Dropout(String input, String output) implements Step {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }
}
