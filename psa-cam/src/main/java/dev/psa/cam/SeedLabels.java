package dev.psa.cam;

import static java.util.Objects.requireNonNull;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import dev.psa.api.CamSet;
import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;
import dev.psa.api.Shapes;

/**
 * Seed labels for AffinityNet (REFERENCE.md §Stage 2): background M_bg = (1 − max_c M_c)^α for
 * α_lo and α_hi; each stack [bg, present classes] is refined (dense CRF) and its argmax taken;
 * label = argmax(lo) where lo says foreground (confident foreground), 255 where lo says
 * background (uncertain), 0 where hi says background (confident background).
 */
public final class SeedLabels {
    private SeedLabels() {
    }

    /**
     * @param cams    the present classes' CAMs, [C, H, W] in [0, 1]
     * @param image   [3, H, W] float32 RGB in [0, 255] (what the CRF's bilateral kernel sees)
     * @param alphaLo low background power (4)
     * @param alphaHi high background power (32)
     * @param refiner the dense CRF, or {@link ScoreRefiner#NONE}
     * @return [H, W] labels: present class ids, 0 (confident background) or 255 (uncertain)
     */
    public static LabelMap compute(CamSet cams, INDArray image, double alphaLo, double alphaHi,
                                   ScoreRefiner refiner) {
        requireNonNull(cams, "cams is null");
        requireNonNull(refiner, "refiner is null");
        int h = cams.height();
        int w = cams.width();
        Shapes.check("image of " + cams.id(), "[3, H, W]", image, 3, h, w);
        int[] ids = cams.classIds();
        INDArray stackCams = cams.cams().castTo(DataType.FLOAT);
        INDArray max = ids.length == 0 ? Nd4j.zeros(DataType.FLOAT, h, w) : stackCams.max(0);
        INDArray oneMinus = max.rsub(1.0);
        int[] lo = argmax(refine(refiner, image, Transforms.pow(oneMinus, alphaLo, true), stackCams, h, w));
        int[] hi = argmax(refine(refiner, image, Transforms.pow(oneMinus, alphaHi, true), stackCams, h, w));
        byte[] out = new byte[h * w];
        for (int i = 0; i < out.length; i++) {
            int label = lo[i] == 0 ? ClassList.IGNORE : ids[lo[i] - 1];
            if (hi[i] == 0) {
                label = 0;
            }
            out[i] = (byte) label;
        }
        return new LabelMap(h, w, out);
    }

    private static INDArray refine(ScoreRefiner refiner, INDArray image, INDArray bg, INDArray cams, int h, int w) {
        INDArray scores = cams.size(0) == 0 ? bg.reshape(1, h, w)
                : Nd4j.concat(0, bg.reshape(1, h, w), cams);
        if (scores.size(0) == 1) {
            return scores; // only background: nothing to refine
        }
        INDArray q = refiner.refine(image, scores);
        Shapes.check("refined scores", "[L, H, W]", q, scores.size(0), h, w);
        return q;
    }

    /** @param q [L, H, W] → the index of the first maximum per pixel, row-major */
    private static int[] argmax(INDArray q) {
        int labels = (int) q.size(0);
        int n = (int) (q.size(1) * q.size(2));
        float[] data = q.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int[] out = new int[n];
        float[] best = new float[n];
        System.arraycopy(data, 0, best, 0, n);
        for (int l = 1; l < labels; l++) {
            int off = l * n;
            for (int i = 0; i < n; i++) {
                if (data[off + i] > best[i]) {
                    best[i] = data[off + i];
                    out[i] = l;
                }
            }
        }
        return out;
    }
}
