package dev.psa.crf;

import static java.util.Objects.requireNonNull;

import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;
import dev.psa.api.Shapes;
import dev.psa.crf.internal.MeanField;
import dev.psa.crf.internal.Parallel;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.util.Arrays;

/**
 * Fully connected CRF over the pixels of one image with Gaussian edge potentials (Krähenbühl and
 * Koltun 2011), solved by mean field with the permutohedral lattice (Adams et al. 2010), so one
 * iteration costs time linear in the number of pixels.
 *
 * <p>Energy: {@code E(x) = Σ_i U_i(x_i) + Σ_{i<j} [x_i ≠ x_j] (w_g·k_g(i,j) + w_b·k_b(i,j))} with
 * <ul>
 *   <li>the smoothness kernel {@code k_g = exp(−|p_i − p_j|²/(2·sxy_g²))} (positions in pixels),</li>
 *   <li>the appearance kernel {@code k_b = exp(−|p_i − p_j|²/(2·sxy_b²) − |I_i − I_j|²/(2·srgb²))}
 *       (RGB 0..255),</li>
 * </ul>
 * each symmetrically normalised ({@code D^(−1/2) K D^(−1/2)}, D = K·1), exactly as the reference
 * densecrf / pydensecrf run it with {@code NORMALIZE_SYMMETRIC} and Potts compatibility. A kernel
 * whose weight is 0 is skipped (no lattice is built).
 *
 * <p>Immutable and thread-safe; each call allocates its own buffers. Inner loops are plain Java
 * arrays on up to {@code threads} threads (the caller plus common fork-join pool workers); the
 * result does not depend on the thread count.
 */
public final class DenseCrf {
    /** Probabilities are clipped to this before the log (pydensecrf's {@code unary_from_softmax}). */
    public static final float MIN_PROB = 1e-5f;

    private final CrfConfig config;
    private final Parallel par;

    /** A CRF using as many threads as there are processors. */
    public DenseCrf(CrfConfig config) {
        this(config, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param threads at most this many threads work on one inference; 1 keeps everything on the
     *                caller's thread (e.g. when the caller already runs one image per core)
     */
    public DenseCrf(CrfConfig config, int threads) {
        this.config = requireNonNull(config, "config is null");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.par = new Parallel(threads);
    }

    public CrfConfig config() {
        return config;
    }

    /**
     * Refines score maps; unary {@code U = −log(clip(p, 1e-5, 1))}, the scores used as they are
     * (not renormalised; REFERENCE.md §Stage 2, PSA's {@code crf_inference}).
     *
     * @param image  [3, H, W] float32 (any floating type is accepted), RGB in 0..255, no NaN
     * @param scores [L, H, W] float32 (any floating type), L ≥ 1, per-label scores, typically in
     *               [0, 1]; values outside are clipped; no NaN
     * @return marginals Q [L, H, W] float32 in [0, 1], summing to 1 over L at each pixel
     * @throws IllegalArgumentException on shape mismatch, zero labels, NaN values
     */
    public INDArray inferScores(INDArray image, INDArray scores) {
        float[] rgb = imagePixels(image);
        int h = (int) image.size(1);
        int w = (int) image.size(2);
        Shapes.check("scores", "[L, H, W]", scores, -1, h, w);
        requireFloating("scores", scores);
        int labels = (int) scores.size(0);
        if (labels < 1) {
            throw new IllegalArgumentException("scores: need at least one label, got shape "
                    + Arrays.toString(scores.shape()));
        }
        float[] s = floats(scores);
        int n = h * w;
        for (int k = 0; k < s.length; k++) {
            if (Float.isNaN(s[k])) {
                throw new IllegalArgumentException("scores: NaN at (label " + (k / n) + ", y=" + (k % n / w) + ", x="
                        + (k % w) + "); scores must be numbers (probabilities, clipped to [" + MIN_PROB + ", 1])");
            }
        }
        checkCapacity(h, w, labels);
        float[] unary = new float[n * labels];
        for (int l = 0; l < labels; l++) {
            for (int i = 0; i < n; i++) {
                float p = Math.min(1f, Math.max(MIN_PROB, s[l * n + i]));
                unary[i * labels + l] = (float) -Math.log(p);
            }
        }
        return toArray(solve(rgb, h, w, unary, labels), labels, h, w);
    }

    /**
     * Refines a hard label map (IRN's {@code crf_inference_label}): a labelled pixel gets
     * probability {@code gtProb} for its label and {@code (1 − gtProb)/(L − 1)} for each other;
     * an unknown pixel (255) gets the uniform {@code 1/L}; unary = −log of these.
     *
     * @param image     [3, H, W] float32 (any floating type), RGB in 0..255, no NaN
     * @param labels    H×W labels in 0..L-1 or 255 (unknown)
     * @param numLabels L ≥ 1
     * @return marginals Q [L, H, W] float32 in [0, 1], summing to 1 over L at each pixel
     * @throws IllegalArgumentException on size mismatch, L &lt; 1, NaN in the image
     * @throws dev.psa.api.PsaException on a label value ≥ L other than 255
     */
    public INDArray inferLabels(INDArray image, LabelMap labels, int numLabels) {
        requireNonNull(labels, "labels is null");
        float[] rgb = imagePixels(image);
        int h = (int) image.size(1);
        int w = (int) image.size(2);
        if (labels.height() != h || labels.width() != w) {
            throw new IllegalArgumentException("labels: expected [H, W] = [" + h + ", " + w + "] (the image's size), got ["
                    + labels.height() + ", " + labels.width() + "]");
        }
        if (numLabels < 1) {
            throw new IllegalArgumentException("numLabels: need at least one label, got " + numLabels);
        }
        labels.validate(numLabels, "labels");
        int n = h * w;
        checkCapacity(h, w, numLabels);
        float[] unary = new float[n * numLabels];
        if (numLabels > 1) {
            float pos = (float) -Math.log(config.gtProb());
            float neg = (float) -Math.log((1 - config.gtProb()) / (numLabels - 1));
            float unsure = (float) -Math.log(1.0 / numLabels);
            for (int i = 0; i < n; i++) {
                int lab = labels.get(i);
                int b = i * numLabels;
                for (int l = 0; l < numLabels; l++) {
                    unary[b + l] = lab == ClassList.IGNORE ? unsure : (l == lab ? pos : neg);
                }
            }
        }
        return toArray(solve(rgb, h, w, unary, numLabels), numLabels, h, w);
    }

    /**
     * Runs mean field on plain arrays (what the ND4J entry points do after conversion).
     *
     * @param rgb       [3·H·W] channel-major RGB 0..255 (as {@code [3, H, W]} in C order)
     * @param unary     [L·H·W] channel-major unary energies (finite)
     * @param numLabels L ≥ 1
     * @return marginals [L·H·W] channel-major
     */
    public float[] inferEnergies(float[] rgb, int height, int width, float[] unary, int numLabels) {
        requireNonNull(rgb, "rgb is null");
        requireNonNull(unary, "unary is null");
        if (height < 1 || width < 1 || numLabels < 1) {
            throw new IllegalArgumentException("need height, width, numLabels >= 1, got " + height + ", " + width + ", "
                    + numLabels);
        }
        int n = height * width;
        if (rgb.length != 3L * n || unary.length != (long) numLabels * n) {
            throw new IllegalArgumentException("expected rgb of 3*H*W = " + (3L * n) + " and unary of L*H*W = "
                    + ((long) numLabels * n) + " floats, got " + rgb.length + " and " + unary.length);
        }
        float[] pointMajor = new float[unary.length];
        for (int l = 0; l < numLabels; l++) {
            for (int i = 0; i < n; i++) {
                float u = unary[l * n + i];
                if (!Float.isFinite(u)) {
                    throw new IllegalArgumentException("unary: non-finite value " + u + " at (label " + l + ", y="
                            + (i / width) + ", x=" + (i % width) + ")");
                }
                pointMajor[i * numLabels + l] = u;
            }
        }
        float[] q = solve(rgb, height, width, pointMajor, numLabels);
        return toChannelMajor(q, numLabels, n);
    }

    /**
     * MAP labels: argmax over L (the lowest label wins ties).
     *
     * @param marginals [L, H, W] any floating type, 1 ≤ L ≤ 255
     * @return H×W labels 0..L-1
     */
    public static LabelMap argmax(INDArray marginals) {
        Shapes.check("marginals", "[L, H, W]", marginals, -1, -1, -1);
        requireFloating("marginals", marginals);
        int labels = (int) marginals.size(0);
        int h = (int) marginals.size(1);
        int w = (int) marginals.size(2);
        if (labels < 1 || labels > ClassList.IGNORE) {
            throw new IllegalArgumentException("marginals: need 1..255 labels to fit a label map, got " + labels);
        }
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("marginals: empty image, shape " + Arrays.toString(
                    marginals.shape()));
        }
        float[] q = floats(marginals);
        int n = h * w;
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            float bestQ = q[i];
            for (int l = 1; l < labels; l++) {
                float v = q[l * n + i];
                if (v > bestQ) {
                    bestQ = v;
                    best = l;
                }
            }
            out[i] = (byte) best;
        }
        return new LabelMap(h, w, out);
    }

    /** Builds the kernels that are on and runs mean field; unary and result point-major [n·L]. */
    private float[] solve(float[] rgb, int h, int w, float[] unary, int labels) {
        int n = h * w;
        checkCapacity(h, w, labels);
        List<MeanField.Kernel> kernels = new ArrayList<>(2);
        if (config.iterations() > 0 && labels > 1) {
            if (config.gaussianCompat() > 0) {
                kernels.add(MeanField.Kernel.build(gaussianFeatures(h, w), n, 2, (float) config.gaussianCompat(), par));
            }
            if (config.bilateralCompat() > 0) {
                kernels.add(MeanField.Kernel.build(bilateralFeatures(rgb, h, w), n, 5,
                        (float) config.bilateralCompat(), par));
            }
        }
        return MeanField.infer(unary, n, labels, kernels, config.iterations(), par);
    }

    private static void checkCapacity(int h, int w, int labels) {
        if ((long) h * w * labels > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("too large for one CRF: " + w + "x" + h + " pixels with " + labels
                    + " labels exceed 2^31 values");
        }
    }

    private float[] gaussianFeatures(int h, int w) {
        float inv = (float) (1.0 / config.gaussianSxy());
        float[] f = new float[h * w * 2];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                f[2 * i] = x * inv;
                f[2 * i + 1] = y * inv;
            }
        }
        return f;
    }

    private float[] bilateralFeatures(float[] rgb, int h, int w) {
        int n = h * w;
        float invXy = (float) (1.0 / config.bilateralSxy());
        float invRgb = (float) (1.0 / config.bilateralSrgb());
        float[] f = new float[n * 5];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                int b = 5 * i;
                f[b] = x * invXy;
                f[b + 1] = y * invXy;
                f[b + 2] = rgb[i] * invRgb;
                f[b + 3] = rgb[n + i] * invRgb;
                f[b + 4] = rgb[2 * n + i] * invRgb;
            }
        }
        return f;
    }

    private static float[] imagePixels(INDArray image) {
        Shapes.check("image", "[3, H, W]", image, 3, -1, -1);
        requireFloating("image", image);
        if (image.size(1) < 1 || image.size(2) < 1) {
            throw new IllegalArgumentException("image: empty, shape " + Arrays.toString(image.shape()));
        }
        if (image.size(1) * image.size(2) * 6 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image: too large for one CRF, shape "
                    + Arrays.toString(image.shape()));
        }
        float[] rgb = floats(image);
        int n = (int) (image.size(1) * image.size(2));
        int w = (int) image.size(2);
        for (int k = 0; k < rgb.length; k++) {
            if (!Float.isFinite(rgb[k])) {
                throw new IllegalArgumentException("image: non-finite value " + rgb[k] + " at (channel " + (k / n)
                        + ", y=" + (k % n / w) + ", x=" + (k % w) + "); expected RGB in 0..255");
            }
        }
        return rgb;
    }

    private static void requireFloating(String what, INDArray a) {
        if (!a.dataType().isFPType()) {
            throw new IllegalArgumentException(what + ": expected a floating-point array (float32), got "
                    + a.dataType());
        }
    }

    private static float[] floats(INDArray a) {
        INDArray f = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        float[] out = f.dup('c').data().asFloat();
        if (out.length != a.length()) {
            throw new IllegalStateException("unexpected buffer length " + out.length + " for " + a.length() + " values");
        }
        return out;
    }

    private static float[] toChannelMajor(float[] q, int labels, int n) {
        float[] out = new float[q.length];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < labels; l++) {
                out[l * n + i] = q[i * labels + l];
            }
        }
        return out;
    }

    private static INDArray toArray(float[] pointMajor, int labels, int h, int w) {
        return Nd4j.create(toChannelMajor(pointMajor, labels, h * w), new long[] {labels, h, w}, DataType.FLOAT);
    }
}
