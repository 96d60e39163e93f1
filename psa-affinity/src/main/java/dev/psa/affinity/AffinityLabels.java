package dev.psa.affinity;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.AffinityStencil;
import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;
import dev.psa.api.spi.PairClass;
import java.util.Arrays;

/**
 * Affinity labels (REFERENCE.md §Stage 2–3): a pixel label map (seeds or a true mask, 255 =
 * ignore) brought to the stride-8 grid, and the {@link PairClass} of every stencil pair.
 *
 * <h2>Stride-8 rule</h2>
 * The reference average-pools the CRF probability planes over 8×8 blocks and takes the argmax.
 * From stored uint8 labels the analogue is a plurality vote over each block with 255 voting as a
 * label of its own (so a block that is mostly "unknown" stays unknown): the cell takes the most
 * frequent value among the block's pixels; a tie that involves 255 gives 255, other ties the lower
 * class id. With {@code minFraction > 0} the winning class must also cover at least that fraction
 * of the block, otherwise the cell is 255. Blocks at the right/bottom edge of an image whose sides
 * are not multiples of 8 count only their pixels inside the image.
 *
 * <h2>Pairs</h2>
 * Every cell is a "from" cell, including border cells (the reference only used cells whose every
 * partner is inside the map; here the map is virtually padded instead, as IRN does): pair
 * {@code (o, y, x)} joins cell (y, x) and cell (y + dy[o], x + dx[o]); a partner outside the map
 * makes the pair {@link PairClass#IGNORE}.
 */
public final class AffinityLabels {
    private AffinityLabels() {
    }

    /**
     * @param labels      [H, W] class ids or 255
     * @param stride      the block side (8)
     * @param minFraction in [0, 1]; 0 is the plain plurality vote
     * @return [ceil(H/stride), ceil(W/stride)] class ids or 255
     */
    public static LabelMap toStride(LabelMap labels, int stride, double minFraction) {
        requireNonNull(labels, "labels is null");
        if (stride <= 0) {
            throw new IllegalArgumentException("stride must be > 0, got " + stride);
        }
        if (!(minFraction >= 0 && minFraction <= 1)) {
            throw new IllegalArgumentException("minFraction must be in [0, 1], got " + minFraction);
        }
        int h = (labels.height() + stride - 1) / stride;
        int w = (labels.width() + stride - 1) / stride;
        byte[] out = new byte[h * w];
        int[] counts = new int[256];
        for (int by = 0; by < h; by++) {
            for (int bx = 0; bx < w; bx++) {
                Arrays.fill(counts, 0);
                int y1 = Math.min(labels.height(), (by + 1) * stride);
                int x1 = Math.min(labels.width(), (bx + 1) * stride);
                int total = 0;
                for (int y = by * stride; y < y1; y++) {
                    for (int x = bx * stride; x < x1; x++) {
                        counts[labels.get(y, x)]++;
                        total++;
                    }
                }
                int best = ClassList.IGNORE;
                for (int v = 0; v < 255; v++) {
                    if (counts[v] > counts[best]) {
                        best = v;
                    }
                }
                if (best != ClassList.IGNORE && counts[best] < minFraction * total) {
                    best = ClassList.IGNORE;
                }
                out[by * w + bx] = (byte) best;
            }
        }
        return new LabelMap(h, w, out);
    }

    /**
     * The pair class of every stencil pair of one stride-8 map.
     *
     * @param cells   [h, w] class ids or 255
     * @param stencil the offsets
     * @return O·h·w {@link PairClass} codes, layout [O, h, w] row-major
     */
    public static byte[] pairClassCodes(LabelMap cells, AffinityStencil stencil) {
        requireNonNull(cells, "cells is null");
        requireNonNull(stencil, "stencil is null");
        int h = cells.height();
        int w = cells.width();
        byte[] out = new byte[stencil.size() * h * w];
        for (int o = 0; o < stencil.size(); o++) {
            int dy = stencil.dy(o);
            int dx = stencil.dx(o);
            int base = o * h * w;
            for (int y = 0; y < h; y++) {
                int ty = y + dy;
                for (int x = 0; x < w; x++) {
                    int tx = x + dx;
                    int code = PairClass.IGNORE;
                    if (ty >= 0 && ty < h && tx >= 0 && tx < w) {
                        code = classify(cells.get(y, x), cells.get(ty, tx));
                    }
                    out[base + y * w + x] = (byte) code;
                }
            }
        }
        return out;
    }

    /** The {@link PairClass} of two cell labels. */
    public static int classify(int a, int b) {
        if (a == ClassList.IGNORE || b == ClassList.IGNORE) {
            return PairClass.IGNORE;
        }
        if (a != b) {
            return PairClass.NEGATIVE;
        }
        return a == 0 ? PairClass.BG_POSITIVE : PairClass.FG_POSITIVE;
    }

    /**
     * @param cells   [h, w] stride-8 maps, all of the same size
     * @param stencil the offsets
     * @return [N, O, h, w] float32 {@link PairClass} codes, the input of a {@link dev.psa.api.spi.PairSampler}
     */
    public static INDArray pairClasses(List<LabelMap> cells, AffinityStencil stencil) {
        requireNonNull(cells, "cells is null");
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("cells is empty");
        }
        int h = cells.get(0).height();
        int w = cells.get(0).width();
        int per = stencil.size() * h * w;
        float[] data = new float[cells.size() * per];
        for (int n = 0; n < cells.size(); n++) {
            LabelMap m = cells.get(n);
            if (m.height() != h || m.width() != w) {
                throw new IllegalArgumentException("cells[" + n + "]: expected [h, w] = [" + h + ", " + w + "], got ["
                        + m.height() + ", " + m.width() + "]");
            }
            byte[] codes = pairClassCodes(m, stencil);
            for (int i = 0; i < per; i++) {
                data[n * per + i] = codes[i];
            }
        }
        return Nd4j.create(data, new long[] {cells.size(), stencil.size(), h, w}, 'c');
    }

    /**
     * @param pairClasses [N, O, h, w] {@link PairClass} codes
     * @return [N, O, h, w] float32, 1 for bg-positive and fg-positive pairs, 0 otherwise (the loss's
     *     {@link AffinityNet#PAIR_POSITIVE})
     */
    public static INDArray positiveMask(INDArray pairClasses) {
        INDArray f = pairClasses.castTo(DataType.FLOAT);
        return f.gte(PairClass.BG_POSITIVE).castTo(DataType.FLOAT).muli(f.lte(PairClass.FG_POSITIVE).castTo(DataType.FLOAT));
    }

    /**
     * @return [O, h, w] float32, 1 where the partner (y + dy, x + dx) lies inside the h×w grid, else 0
     */
    public static INDArray partnerInside(int h, int w, AffinityStencil stencil) {
        float[] data = new float[stencil.size() * h * w];
        for (int o = 0; o < stencil.size(); o++) {
            for (int y = 0; y < h; y++) {
                int ty = y + stencil.dy(o);
                for (int x = 0; x < w; x++) {
                    int tx = x + stencil.dx(o);
                    data[(o * h + y) * w + x] = ty >= 0 && ty < h && tx >= 0 && tx < w ? 1f : 0f;
                }
            }
        }
        return Nd4j.create(data, new long[] {stencil.size(), h, w}, 'c').castTo(DataType.FLOAT);
    }
}
