package dev.psa.affinity;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import dev.psa.api.AffinityGraph;
import dev.psa.api.LabelMap;
import dev.psa.api.spi.PairClass;
import dev.psa.api.ImageSample;
import dev.psa.api.Sample;
import dev.psa.api.spi.Dataset;
import java.util.Locale;

/**
 * How well predicted affinities separate pairs, measured against reference labels (true masks):
 * the mean affinity of bg-positive, fg-positive and negative pairs, and the AUC of W for
 * "same class" (positive) against "different class" (negative) pairs — the probability that a
 * random positive pair has a higher affinity than a random negative pair (ties count ½).
 *
 * @param meanBgPositive mean W over pairs of two background cells
 * @param meanFgPositive mean W over pairs of two cells of the same foreground class
 * @param meanNegative   mean W over pairs of cells of different classes
 * @param auc            AUC of W, positives against negatives (NaN when one side is empty)
 * @param bgPositive     number of bg-positive pairs
 * @param fgPositive     number of fg-positive pairs
 * @param negative       number of negative pairs
 */
public record AffinityQuality(double meanBgPositive, double meanFgPositive, double meanNegative, double auc,
                              long bgPositive, long fgPositive, long negative) {
    /** Collects pairs image by image. */
    public static final class Accumulator {
        private final double minFraction;
        private float[][] scores = {new float[0], new float[1024], new float[1024], new float[1024]};
        private final int[] sizes = new int[4];
        private final double[] sums = new double[4];

        /** @param minFraction the stride-8 label rule applied to the masks ({@link AffinityLabels#toStride}) */
        public Accumulator(double minFraction) {
            this.minFraction = minFraction;
        }

        /**
         * @param graph predicted affinities on an h×w grid
         * @param mask  the true labels, [H, W] with ceil(H/8) = h and ceil(W/8) = w
         */
        public Accumulator add(AffinityGraph graph, LabelMap mask) {
            requireNonNull(graph, "graph is null");
            requireNonNull(mask, "mask is null");
            LabelMap cells = AffinityLabels.toStride(mask, 8, minFraction);
            if (cells.height() != graph.height() || cells.width() != graph.width()) {
                throw new IllegalArgumentException("mask: expected a stride-8 grid of [h, w] = [" + graph.height()
                        + ", " + graph.width() + "], got [" + cells.height() + ", " + cells.width() + "] from a "
                        + mask.width() + "x" + mask.height() + " mask");
            }
            byte[] codes = AffinityLabels.pairClassCodes(cells, graph.stencil());
            float[] w = graph.weights().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
            for (int i = 0; i < codes.length; i++) {
                int c = codes[i];
                if (c == PairClass.IGNORE) {
                    continue;
                }
                if (sizes[c] == scores[c].length) {
                    scores[c] = Arrays.copyOf(scores[c], scores[c].length * 2);
                }
                scores[c][sizes[c]++] = w[i];
                sums[c] += w[i];
            }
            return this;
        }

        public AffinityQuality result() {
            long pos = (long) sizes[PairClass.BG_POSITIVE] + sizes[PairClass.FG_POSITIVE];
            long neg = sizes[PairClass.NEGATIVE];
            double auc = Double.NaN;
            if (pos > 0 && neg > 0) {
                float[] negatives = Arrays.copyOf(scores[PairClass.NEGATIVE], sizes[PairClass.NEGATIVE]);
                Arrays.sort(negatives);
                double wins = 0;
                for (int c = PairClass.BG_POSITIVE; c <= PairClass.FG_POSITIVE; c++) {
                    for (int i = 0; i < sizes[c]; i++) {
                        float s = scores[c][i];
                        int below = lowerBound(negatives, s);
                        int notAbove = upperBound(negatives, s);
                        wins += below + 0.5 * (notAbove - below);
                    }
                }
                auc = wins / ((double) pos * neg);
            }
            return new AffinityQuality(mean(PairClass.BG_POSITIVE), mean(PairClass.FG_POSITIVE),
                    mean(PairClass.NEGATIVE), auc, sizes[PairClass.BG_POSITIVE], sizes[PairClass.FG_POSITIVE],
                    sizes[PairClass.NEGATIVE]);
        }

        private double mean(int c) {
            return sizes[c] == 0 ? Double.NaN : sums[c] / sizes[c];
        }

        private static int lowerBound(float[] a, float v) {
            int lo = 0;
            int hi = a.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] < v) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        private static int upperBound(float[] a, float v) {
            int lo = 0;
            int hi = a.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] <= v) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /**
     * Measures a predictor over the samples of a split that have masks.
     *
     * @param limit at most this many samples (the first ones), ≤ 0 for all
     * @param minFraction the stride-8 rule for the masks (0 = plurality, as in training)
     */
    public static AffinityQuality measure(AffinityPredictor predictor, Dataset dataset, String split,
                                          int limit, double minFraction) {
        Accumulator acc = new Accumulator(minFraction);
        int n = 0;
        for (Sample s : dataset.samples(split)) {
            if (limit > 0 && n >= limit) {
                break;
            }
            ImageSample img = dataset.load(s);
            if (img.mask().isEmpty()) {
                continue;
            }
            acc.add(predictor.predict(img.image()), img.mask().get());
            n++;
        }
        return acc.result();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "mean W: bg+ %.3f (%d pairs), fg+ %.3f (%d), neg %.3f (%d); AUC %.4f", meanBgPositive, bgPositive,
                meanFgPositive, fgPositive, meanNegative, negative, auc);
    }
}
