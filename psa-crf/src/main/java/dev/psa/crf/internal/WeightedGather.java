package dev.psa.crf.internal;

/**
 * The inner loop of splatting and slicing:
 * {@code out[o + c] (+)= Σ_{k ∈ [kFrom, kTo)} w[k] · src[idx[k]·vd + c]} for every value
 * {@code c < vd}. Values are taken four (or three, two, one) at a time with one scalar accumulator
 * each, so the sums stay in registers (an accumulator array would be re-read through memory
 * because it might alias {@code src}) and the index/weight lists are read once per group.
 */
final class WeightedGather {
    private WeightedGather() {
    }

    /**
     * @param add whether to add to {@code out} (slice into an accumulator) or overwrite it (splat)
     */
    static void gather(float[] src, int vd, int[] idx, float[] w, int kFrom, int kTo, float[] out, int o,
                       boolean add) {
        int c = 0;
        for (; c + 4 <= vd; c += 4) {
            gather4(src, vd, c, idx, w, kFrom, kTo, out, o + c, add);
        }
        switch (vd - c) {
            case 3 -> gather3(src, vd, c, idx, w, kFrom, kTo, out, o + c, add);
            case 2 -> gather2(src, vd, c, idx, w, kFrom, kTo, out, o + c, add);
            case 1 -> gather1(src, vd, c, idx, w, kFrom, kTo, out, o + c, add);
            default -> {
            }
        }
    }

    private static void gather4(float[] src, int vd, int c, int[] idx, float[] w, int kFrom, int kTo, float[] out,
                                int o, boolean add) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        for (int k = kFrom; k < kTo; k++) {
            float wk = w[k];
            int b = idx[k] * vd + c;
            s0 += wk * src[b];
            s1 += wk * src[b + 1];
            s2 += wk * src[b + 2];
            s3 += wk * src[b + 3];
        }
        if (add) {
            out[o] += s0;
            out[o + 1] += s1;
            out[o + 2] += s2;
            out[o + 3] += s3;
        } else {
            out[o] = s0;
            out[o + 1] = s1;
            out[o + 2] = s2;
            out[o + 3] = s3;
        }
    }

    private static void gather3(float[] src, int vd, int c, int[] idx, float[] w, int kFrom, int kTo, float[] out,
                                int o, boolean add) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        for (int k = kFrom; k < kTo; k++) {
            float wk = w[k];
            int b = idx[k] * vd + c;
            s0 += wk * src[b];
            s1 += wk * src[b + 1];
            s2 += wk * src[b + 2];
        }
        if (add) {
            out[o] += s0;
            out[o + 1] += s1;
            out[o + 2] += s2;
        } else {
            out[o] = s0;
            out[o + 1] = s1;
            out[o + 2] = s2;
        }
    }

    private static void gather2(float[] src, int vd, int c, int[] idx, float[] w, int kFrom, int kTo, float[] out,
                                int o, boolean add) {
        float s0 = 0;
        float s1 = 0;
        for (int k = kFrom; k < kTo; k++) {
            float wk = w[k];
            int b = idx[k] * vd + c;
            s0 += wk * src[b];
            s1 += wk * src[b + 1];
        }
        if (add) {
            out[o] += s0;
            out[o + 1] += s1;
        } else {
            out[o] = s0;
            out[o + 1] = s1;
        }
    }

    private static void gather1(float[] src, int vd, int c, int[] idx, float[] w, int kFrom, int kTo, float[] out,
                                int o, boolean add) {
        float s0 = 0;
        for (int k = kFrom; k < kTo; k++) {
            s0 += w[k] * src[idx[k] * vd + c];
        }
        if (add) {
            out[o] += s0;
        } else {
            out[o] = s0;
        }
    }
}
