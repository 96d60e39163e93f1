package dev.psa.backbones.weights;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.backbones.BackboneStats;
import dev.psa.backbones.weights.WeightLoader.Layout;

/**
 * Where every key of a weight file goes in psa, decided from the keys and stored shapes alone
 * (so a file that does not fit is refused before anything is read or written): each backbone
 * parameter and head parameter with the key it comes from, and the keys that are left out and why.
 *
 * <p>Names: a checkpoint key is psa's parameter name (the authors' state_dict keys,
 * REFERENCE.md §Backbones), after removing an {@code nn.DataParallel} {@code module.} prefix that
 * is on every key. Heads: the classifier's {@code fc8.weight} (psa-cam's {@code ClassifierNet}),
 * AffinityNet's {@code f8_3/4/5.weight}, {@code f9.weight} and, on backbones whose AffinityNet has
 * GroupNorms (VGG16), {@code gn8_3/4/5.weight/.bias} (psa-affinity's {@code AffinityNet}). Batch-norm
 * step counters ({@code *.num_batches_tracked}) are left out: psa's frozen batch norm has no such
 * parameter. Any other key, a head the chosen {@link Heads} does not take, or a GroupNorm key
 * for a backbone without GroupNorms is an error, as are missing and wrongly shaped parameters.
 *
 * @param source  the file, named in errors
 * @param layout  the layout of the file's conv weights (never {@link Layout#AUTO})
 * @param placed  every parameter read: the backbone's in its order, then the heads
 * @param leftOut file keys that are not read, with the reason
 */
public record WeightPlan(String source, Layout layout, List<Placement> placed, Map<String, String> leftOut) {
    /** The classifier's head (REFERENCE.md §Stage 1): a 1×1 conv without bias, [K-1, C, 1, 1] in PyTorch. */
    public static final String CLASSIFIER_WEIGHT = "fc8.weight";
    /** AffinityNet's tap convs, shallow to deep, 1×1 without bias. */
    public static final List<String> AFFINITY_CONVS = List.of("f8_3.weight", "f8_4.weight", "f8_5.weight");
    /** AffinityNet's fusion conv, 1×1 448→448 without bias. */
    public static final String AFFINITY_FUSION = "f9.weight";
    /** GroupNorm affine parameters after each tap conv of a VGG16 AffinityNet, [c] in PyTorch, [1, c, 1, 1] in psa. */
    public static final List<String> GROUP_NORMS = List.of("gn8_3.weight", "gn8_3.bias", "gn8_4.weight", "gn8_4.bias",
            "gn8_5.weight", "gn8_5.bias");
    /** Every head parameter psa knows, in the order an import writes them. */
    public static final List<String> HEAD_NAMES = Stream.of(List.of(CLASSIFIER_WEIGHT), AFFINITY_CONVS, GROUP_NORMS,
            List.of(AFFINITY_FUSION)).flatMap(List::stream).toList();

    private static final String MODULE = "module.";

    public WeightPlan {
        requireNonNull(source, "source is null");
        requireNonNull(layout, "layout is null");
        placed = List.copyOf(placed);
        leftOut = Collections.unmodifiableMap(new LinkedHashMap<>(leftOut));
    }

    /**
     * One parameter to read.
     *
     * @param key       the file's key
     * @param name      psa's parameter name
     * @param fileShape shape in the file
     * @param shape     psa's shape ([kh, kw, in, out] for convs, [1, c, 1, 1] for GroupNorm vectors)
     * @param permute   whether the file's array is a PyTorch conv weight [out, in, kh, kw] to permute
     */
    public record Placement(String key, String name, long[] fileShape, long[] shape, boolean permute) {
        public Placement {
            requireNonNull(key, "key is null");
            requireNonNull(name, "name is null");
            fileShape = fileShape.clone();
            shape = shape.clone();
        }

        @Override
        public long[] fileShape() {
            return fileShape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /**
         * @param stored the file's array, {@link #fileShape()}
         * @return psa's array, {@link #shape()}, float32, C order
         */
        public INDArray convert(INDArray stored) {
            if (!Arrays.equals(stored.shape(), fileShape)) {
                throw new IllegalArgumentException(key + ": expected an array of shape " + Arrays.toString(fileShape)
                        + ", got " + Arrays.toString(stored.shape()));
            }
            INDArray a = stored.dataType() == DataType.FLOAT ? stored : stored.castTo(DataType.FLOAT);
            if (permute) {
                a = toYxio(a);
            }
            return Arrays.equals(a.shape(), shape) ? a : a.reshape('c', shape);
        }

        /**
         * [out, in, kh, kw] → [kh, kw, in, out], C order: a tiled transpose of the [out, in, kh·kw]
         * values in Java, several times faster than ND4J's copy of a permuted view for the large
         * 3×3 and 1×1 convs of ResNet-38.
         */
        static INDArray toYxio(INDArray a) {
            long[] s = a.shape();
            if (a.length() > Integer.MAX_VALUE - 8) {
                return a.permute(2, 3, 1, 0).dup('c');
            }
            int out = (int) s[0];
            int in = (int) s[1];
            int k = (int) (s[2] * s[3]);
            INDArray c = !a.isView() && a.ordering() == 'c' && a.data().length() == a.length() ? a : a.dup('c');
            float[] src = c.data().asFloat();
            float[] dst = new float[src.length];
            int tile = 64;
            for (int o0 = 0; o0 < out; o0 += tile) {
                int o1 = Math.min(out, o0 + tile);
                for (int i0 = 0; i0 < in; i0 += tile) {
                    int i1 = Math.min(in, i0 + tile);
                    for (int y = 0; y < k; y++) {
                        for (int i = i0; i < i1; i++) {
                            int to = (y * in + i) * out;
                            for (int o = o0; o < o1; o++) {
                                dst[to + o] = src[(o * in + i) * k + y];
                            }
                        }
                    }
                }
            }
            return Nd4j.create(dst, new long[] {s[2], s[3], s[1], s[0]}, 'c');
        }
    }

    /** psa's parameter names of the plan, in order. */
    public List<String> names() {
        return placed.stream().map(Placement::name).toList();
    }

    /** The placed head parameters' names (a subset of {@link #HEAD_NAMES}), in order. */
    public List<String> heads() {
        return placed.stream().map(Placement::name).filter(HEAD_NAMES::contains).toList();
    }

    /**
     * Plans reading a file into a backbone with heads.
     *
     * @param source   the file, named in errors
     * @param file     the file's key → stored shape ({@link WeightFileInfo#shapes()})
     * @param backbone the backbone's parameter shapes and head inputs ({@link BackboneStats#of})
     * @param heads    which heads to read
     * @param layout   the layout of the file's conv weights, or {@link Layout#AUTO} to decide it from
     *                 the backbone's conv weights whose shape fits only one layout
     * @throws WeightMismatchException naming every missing, unexpected and wrongly shaped key together
     */
    public static WeightPlan of(String source, Map<String, long[]> file, BackboneStats backbone, Heads heads,
                                Layout layout) {
        requireNonNull(source, "source is null");
        requireNonNull(file, "file is null");
        requireNonNull(backbone, "backbone is null");
        requireNonNull(heads, "heads is null");
        requireNonNull(layout, "layout is null");
        boolean strip = !file.isEmpty() && file.keySet().stream().allMatch(k -> k.startsWith(MODULE));
        Map<String, String> keyOf = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, long[]> backboneShapes = new LinkedHashMap<>();
        Map<String, String> leftOut = new LinkedHashMap<>();
        List<String> unexpected = new ArrayList<>();
        for (Map.Entry<String, long[]> e : file.entrySet()) {
            String key = e.getKey();
            String name = strip ? key.substring(MODULE.length()) : key;
            if (name.endsWith(".num_batches_tracked")) {
                leftOut.put(key, "batch-norm step counter, not a parameter");
            } else if (backbone.shapes().containsKey(name)) {
                keyOf.put(name, key);
                shapes.put(name, e.getValue());
                backboneShapes.put(name, e.getValue());
            } else if (HEAD_NAMES.contains(name)) {
                String refused = refusal(name, heads, backbone);
                if (heads == Heads.NONE) {
                    leftOut.put(key, "head parameter, read only with heads");
                } else if (refused != null) {
                    unexpected.add(key + " (" + refused + ")");
                } else {
                    keyOf.put(name, key);
                    shapes.put(name, e.getValue());
                }
            } else {
                unexpected.add(key);
            }
        }
        Layout l = layout == Layout.AUTO ? WeightLoader.decide(backboneShapes, backbone.shapes(), source) : layout;
        List<String> missing = new ArrayList<>();
        List<String> misshaped = new ArrayList<>();
        List<Placement> placed = new ArrayList<>();
        Check check = new Check(keyOf, shapes, l, missing, misshaped, placed);
        backbone.shapes().forEach((name, expected) -> check.exact(name, expected));

        boolean anyAffinity = shapes.keySet().stream().anyMatch(k -> HEAD_NAMES.contains(k) && !k.equals(CLASSIFIER_WEIGHT));
        if (heads == Heads.CLASSIFIER || (heads == Heads.ANY && shapes.containsKey(CLASSIFIER_WEIGHT))) {
            check.conv(CLASSIFIER_WEIGHT, backbone.outputChannels(), -1, "K", "K = the number of classes");
        }
        if (heads == Heads.AFFINITY || (heads == Heads.ANY && anyAffinity)) {
            long[] c = new long[3];
            boolean known = true;
            for (int i = 0; i < 3; i++) {
                c[i] = check.conv(AFFINITY_CONVS.get(i), backbone.tapChannels().get(i), -1, "c", "c = the head's channels");
                known &= c[i] > 0;
            }
            if (backbone.groupNormHead()) {
                for (int i = 0; i < GROUP_NORMS.size(); i++) {
                    check.vector(GROUP_NORMS.get(i), c[i / 2]);
                }
            }
            long sum = known ? c[0] + c[1] + c[2] : -1;
            check.conv(AFFINITY_FUSION, sum, sum, "S", "S = the sum of the tap convs' channels");
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misshaped.isEmpty()) {
            throw new WeightMismatchException(source, missing, unexpected, misshaped);
        }
        return new WeightPlan(source, l, placed, leftOut);
    }

    /** Why {@code heads} does not take the head parameter {@code name}; null when it does. */
    private static String refusal(String name, Heads heads, BackboneStats backbone) {
        boolean classifier = name.equals(CLASSIFIER_WEIGHT);
        boolean groupNorm = GROUP_NORMS.contains(name);
        if (groupNorm && !backbone.groupNormHead()) {
            return "a GroupNorm of a VGG16-style AffinityNet head; " + backbone.name() + "'s AffinityNet has none";
        }
        if (heads == Heads.CLASSIFIER && !classifier) {
            return "an AffinityNet head parameter; a classifier has only " + CLASSIFIER_WEIGHT;
        }
        if (heads == Heads.AFFINITY && classifier) {
            return "the classifier's head; an AffinityNet has none";
        }
        return null;
    }

    /** Collects placements and problems while checking one parameter at a time. */
    private record Check(Map<String, String> keyOf, Map<String, long[]> shapes, Layout layout, List<String> missing,
                         List<String> misshaped, List<Placement> placed) {

        /** A parameter of a known psa shape (the backbone's). */
        void exact(String name, long[] expected) {
            long[] f = shapes.get(name);
            if (f == null) {
                missing.add(name);
                return;
            }
            boolean permute = layout == Layout.PYTORCH && f.length == 4;
            long[] converted = permute ? toSameDiff(f) : f;
            if (Arrays.equals(converted, expected) || vectorFits(f, expected)) {
                placed.add(new Placement(keyOf.get(name), name, f, expected, permute));
                return;
            }
            long[] shown = layout == Layout.PYTORCH && expected.length == 4 ? toPyTorch(expected) : expected;
            misshaped.add(name + ": file " + Arrays.toString(f) + ", expected " + Arrays.toString(shown)
                    + (f.length == 4 ? " (" + layoutName(layout) + ")" : ""));
        }

        /**
         * A head's 1×1 conv with {@code in} input channels ({@code -1}: as the file has it) and
         * {@code out} output channels ({@code -1}: as the file has it).
         *
         * @return the output channels placed, or -1 when the parameter is missing or misshaped
         */
        long conv(String name, long in, long out, String symbol, String note) {
            long[] f = shapes.get(name);
            if (f == null) {
                missing.add(name);
                return -1;
            }
            boolean pytorch = layout == Layout.PYTORCH;
            boolean fourD = f.length == 4 && f[pytorch ? 2 : 0] == 1 && f[pytorch ? 3 : 1] == 1;
            long fileIn = fourD ? f[pytorch ? 1 : 2] : -1;
            long fileOut = fourD ? f[pytorch ? 0 : 3] : -1;
            if (fourD && fileOut > 0 && (in < 0 || fileIn == in) && (out < 0 || fileOut == out)) {
                placed.add(new Placement(keyOf.get(name), name, f, new long[] {1, 1, fileIn, fileOut}, pytorch));
                return fileOut;
            }
            String o = out < 0 ? symbol : Long.toString(out);
            String i = in < 0 ? symbol : Long.toString(in);
            String shown = pytorch ? "[" + o + ", " + i + ", 1, 1]" : "[1, 1, " + i + ", " + o + "]";
            misshaped.add(name + ": file " + Arrays.toString(f) + ", expected " + shown + " (" + layoutName(layout)
                    + (out < 0 || in < 0 ? "; " + note : "") + ")");
            return -1;
        }

        /** A GroupNorm vector of {@code c} channels ({@code -1}: as the file has it): [c] or [1, c, 1, 1]. */
        void vector(String name, long c) {
            long[] f = shapes.get(name);
            if (f == null) {
                missing.add(name);
                return;
            }
            long n = f.length == 1 ? f[0] : f.length == 4 && f[0] == 1 && f[2] == 1 && f[3] == 1 ? f[1] : -1;
            if (n > 0 && (c < 0 || n == c)) {
                placed.add(new Placement(keyOf.get(name), name, f, new long[] {1, n, 1, 1}, false));
                return;
            }
            misshaped.add(name + ": file " + Arrays.toString(f) + ", expected [" + (c < 0 ? "c" : c) + "] (one value per "
                    + "channel of the tap conv before it)");
        }
    }

    /** A stored [n] vector where psa holds the same n values with one non-1 dimension ([1, n, 1, 1]). */
    private static boolean vectorFits(long[] f, long[] expected) {
        return f.length == 1 && expected.length > 1 && Arrays.stream(expected).reduce(1, (x, y) -> x * y) == f[0]
                && Arrays.stream(expected).filter(d -> d != 1).count() <= 1;
    }

    static long[] toSameDiff(long[] s) {
        return s.length == 4 ? new long[] {s[2], s[3], s[1], s[0]} : s;
    }

    static long[] toPyTorch(long[] s) {
        return s.length == 4 ? new long[] {s[3], s[2], s[0], s[1]} : s;
    }

    static String layoutName(Layout l) {
        return l == Layout.PYTORCH ? "PyTorch layout [out, in, kh, kw]" : "SameDiff layout [kh, kw, in, out]";
    }
}
