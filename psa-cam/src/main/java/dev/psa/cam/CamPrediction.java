package dev.psa.cam;

import static java.util.Objects.requireNonNull;

import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.CamSet;
import dev.psa.api.LabelMap;
import java.util.Arrays;

/**
 * The CAM-only prediction used to evaluate CAMs (REFERENCE.md §Stage 1): a constant background
 * score is put before the present classes' CAMs and the argmax taken (ties go to the earlier
 * entry, so to the background).
 */
public final class CamPrediction {
    private CamPrediction() {
    }

    /**
     * @param cams    the present classes' CAMs [C, H, W] in [0, 1]
     * @param bgScore the constant background score (PSA 0.2, IRN 0.15)
     * @return [H, W] labels: 0 or one of {@code cams.classIds()}
     */
    public static LabelMap predict(CamSet cams, double bgScore) {
        requireNonNull(cams, "cams is null");
        int h = cams.height();
        int w = cams.width();
        int[] ids = cams.classIds();
        float[] best = new float[h * w];
        Arrays.fill(best, (float) bgScore);
        byte[] labels = new byte[h * w];
        for (int k = 0; k < ids.length; k++) {
            float[] plane = cams.cams().slice(k).dup('c').data().asFloat();
            for (int i = 0; i < plane.length; i++) {
                if (plane[i] > best[i]) {
                    best[i] = plane[i];
                    labels[i] = (byte) ids[k];
                }
            }
        }
        return new LabelMap(h, w, labels);
    }

    /**
     * The per-pixel maximum over the present classes.
     *
     * @param cams [C, H, W]
     * @return H·W floats row-major (0 where C = 0)
     */
    static float[] maxOverClasses(INDArray cams, int h, int w) {
        float[] max = new float[h * w];
        for (int k = 0; k < cams.size(0); k++) {
            float[] plane = cams.slice(k).dup('c').data().asFloat();
            for (int i = 0; i < plane.length; i++) {
                max[i] = Math.max(max[i], plane[i]);
            }
        }
        return max;
    }
}
