package dev.psa.seg;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.LabelMap;

/** Training targets of the segmentation network: labels at the network's stride, as one-hot planes. */
public final class SegLabels {
    /** The ignored label. */
    public static final int IGNORE = 255;

    private SegLabels() {
    }

    /**
     * Each stride × stride block (partial at the bottom / right edge) takes its most frequent label other
     * than 255 (ties: the smaller label); a block with no such label is 255. Output size
     * ceil(H/stride) × ceil(W/stride), the backbone's output grid.
     */
    public static LabelMap toStride(LabelMap labels, int stride) {
        requireNonNull(labels, "labels is null");
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1, got " + stride);
        }
        int h = (labels.height() + stride - 1) / stride;
        int w = (labels.width() + stride - 1) / stride;
        byte[] out = new byte[h * w];
        int[] counts = new int[256];
        for (int cy = 0; cy < h; cy++) {
            for (int cx = 0; cx < w; cx++) {
                Arrays.fill(counts, 0);
                for (int y = cy * stride; y < Math.min(labels.height(), (cy + 1) * stride); y++) {
                    for (int x = cx * stride; x < Math.min(labels.width(), (cx + 1) * stride); x++) {
                        counts[labels.get(y, x)]++;
                    }
                }
                int best = IGNORE;
                int bestCount = 0;
                for (int c = 0; c < IGNORE; c++) {
                    if (counts[c] > bestCount) {
                        best = c;
                        bestCount = counts[c];
                    }
                }
                out[cy * w + cx] = (byte) best;
            }
        }
        return new LabelMap(h, w, out);
    }

    /**
     * One-hot planes of equally sized label maps; a cell labelled 255 (or ≥ K) has all zeros.
     *
     * @return [N, K, h, w] float32
     */
    public static INDArray oneHot(List<LabelMap> maps, int numClasses) {
        int n = maps.size();
        int h = maps.get(0).height();
        int w = maps.get(0).width();
        float[] v = new float[n * numClasses * h * w];
        for (int i = 0; i < n; i++) {
            LabelMap m = maps.get(i);
            if (m.height() != h || m.width() != w) {
                throw new IllegalArgumentException("label maps differ in size: " + h + "x" + w + " and "
                        + m.height() + "x" + m.width());
            }
            for (int p = 0; p < h * w; p++) {
                int c = m.get(p);
                if (c < numClasses) {
                    v[((i * numClasses + c) * h * w) + p] = 1f;
                }
            }
        }
        return Nd4j.create(v, new long[] {n, numClasses, h, w}, DataType.FLOAT);
    }
}
