package dev.psa.backbones.weights;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.PsaException;

/**
 * Puts named weights into a SameDiff graph's variables. PyTorch conv weights [out, in, kh, kw]
 * become SameDiff's YXIO [kh, kw, in, out]; values are cast to the variable's dtype. Missing,
 * unexpected and wrongly shaped keys are collected and reported together
 * ({@link WeightMismatchException}) before any variable changes. Keys ending in
 * {@code .num_batches_tracked} (PyTorch's batch-norm step counter) are always skipped; a
 * {@code module.} prefix on every key (DataParallel) is removed.
 */
public final class WeightLoader {
    /** How 4-D arrays in the weights are laid out. */
    public enum Layout {
        /** [out, in, kh, kw] (PyTorch, and .npz files exported from PyTorch). */
        PYTORCH,
        /** [kh, kw, in, out] (SameDiff; this project's model .npz files). */
        SAMEDIFF,
        /**
         * Decided per file from the 4-D arrays whose shape fits only one layout; PYTORCH when
         * none decides, an error when they disagree.
         */
        AUTO
    }

    /**
     * @param layout           layout of 4-D arrays
     * @param skipPrefixes     keys starting with one of these are ignored (e.g. {@code "fc8."} to
     *                         load a backbone alone from a classifier checkpoint)
     * @param ignoreUnexpected whether keys nothing expects are skipped instead of reported
     * @param source           names the weights in errors (usually the file)
     */
    public record Options(Layout layout, List<String> skipPrefixes, boolean ignoreUnexpected, String source) {
        public Options {
            requireNonNull(layout, "layout is null");
            skipPrefixes = List.copyOf(skipPrefixes);
            requireNonNull(source, "source is null");
        }

        /** PyTorch layout, strict, source "weights". */
        public static Options pytorch() {
            return new Options(Layout.PYTORCH, List.of(), false, "weights");
        }

        public Options withLayout(Layout l) {
            return new Options(l, skipPrefixes, ignoreUnexpected, source);
        }

        public Options withSkipPrefixes(List<String> prefixes) {
            return new Options(layout, prefixes, ignoreUnexpected, source);
        }

        public Options withIgnoreUnexpected(boolean ignore) {
            return new Options(layout, skipPrefixes, ignore, source);
        }

        public Options withSource(String s) {
            return new Options(layout, skipPrefixes, ignoreUnexpected, s);
        }
    }

    /**
     * What a load did.
     *
     * @param loaded  names set in the graph
     * @param skipped keys of the weights that were ignored
     * @param layout  the layout used for 4-D arrays (never AUTO)
     */
    public record Report(List<String> loaded, List<String> skipped, Layout layout) {
        public Report {
            loaded = List.copyOf(loaded);
            skipped = List.copyOf(skipped);
        }
    }

    private WeightLoader() {
    }

    /**
     * Loads PyTorch-layout weights, strictly: every expected name must be present with the right
     * shape and every key must be expected.
     *
     * @param sd            the graph; every expected name is one of its variables
     * @param weights       name → array (e.g. from {@link WeightFiles#read}), conv weights [out, in, kh, kw]
     * @param expectedNames the variables to set (e.g. a backbone's params, or backbone + heads)
     * @throws WeightMismatchException listing missing, unexpected and wrongly shaped keys together
     */
    public static Report load(SameDiff sd, Map<String, INDArray> weights, Set<String> expectedNames) {
        return load(sd, weights, expectedNames, Options.pytorch());
    }

    /** Like {@link #load(SameDiff, Map, Set)} with options. */
    public static Report load(SameDiff sd, Map<String, INDArray> weights, Set<String> expectedNames, Options options) {
        requireNonNull(sd, "sd is null");
        requireNonNull(expectedNames, "expectedNames is null");
        Map<String, long[]> shapes = new LinkedHashMap<>();
        List<String> notInGraph = new ArrayList<>();
        for (String n : expectedNames) {
            SDVariable v = sd.hasVariable(n) ? sd.getVariable(n) : null;
            if (v == null || v.getArr() == null) {
                notInGraph.add(n);
            } else {
                shapes.put(n, v.getArr().shape());
            }
        }
        if (!notInGraph.isEmpty()) {
            throw new PsaException("expected names that are not variables with values in the graph: " + notInGraph);
        }
        Converted c = convert(weights, shapes, options);
        for (Map.Entry<String, INDArray> e : c.arrays().entrySet()) {
            INDArray target = sd.getVariable(e.getKey()).getArr();
            target.assign(e.getValue().castTo(target.dataType()));
        }
        return new Report(List.copyOf(c.arrays().keySet()), c.skipped(), c.layout());
    }

    /**
     * Checks and converts weights against expected SameDiff shapes without a graph.
     *
     * @param arrays  name → array in SameDiff layout, in the order of {@code expectedShapes}
     * @param skipped keys that were ignored
     * @param layout  the layout the 4-D input arrays had
     */
    public record Converted(Map<String, INDArray> arrays, List<String> skipped, Layout layout) {
    }

    /**
     * @param expectedShapes name → SameDiff shape ([kh, kw, in, out] for conv weights)
     * @throws WeightMismatchException listing missing, unexpected and wrongly shaped keys together
     */
    public static Converted convert(Map<String, INDArray> weights, Map<String, long[]> expectedShapes, Options options) {
        requireNonNull(weights, "weights is null");
        requireNonNull(expectedShapes, "expectedShapes is null");
        requireNonNull(options, "options is null");
        Map<String, INDArray> w = stripModulePrefix(weights);
        List<String> skipped = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        Map<String, INDArray> relevant = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : w.entrySet()) {
            String k = e.getKey();
            if (k.endsWith(".num_batches_tracked") || options.skipPrefixes().stream().anyMatch(k::startsWith)) {
                skipped.add(k);
            } else if (!expectedShapes.containsKey(k)) {
                (options.ignoreUnexpected() ? skipped : unexpected).add(k);
            } else {
                relevant.put(k, e.getValue());
            }
        }
        Map<String, long[]> relevantShapes = new LinkedHashMap<>();
        relevant.forEach((k, v) -> relevantShapes.put(k, v.shape()));
        Layout layout = options.layout() == Layout.AUTO ? decide(relevantShapes, expectedShapes, options.source())
                : options.layout();
        List<String> missing = new ArrayList<>();
        List<String> misshaped = new ArrayList<>();
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expectedShapes.entrySet()) {
            INDArray a = relevant.get(e.getKey());
            if (a == null) {
                missing.add(e.getKey());
                continue;
            }
            INDArray converted = fit(layout == Layout.PYTORCH ? toSameDiff(a) : a, e.getValue());
            if (!Arrays.equals(converted.shape(), e.getValue())) {
                long[] expectedAsFile = layout == Layout.PYTORCH ? toPyTorchShape(e.getValue()) : e.getValue();
                misshaped.add(e.getKey() + ": file " + Arrays.toString(a.shape()) + ", expected "
                        + Arrays.toString(expectedAsFile) + (a.rank() == 4 ? " (" + layoutName(layout) + ")" : ""));
                continue;
            }
            out.put(e.getKey(), converted);
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misshaped.isEmpty()) {
            throw new WeightMismatchException(options.source(), missing, unexpected, misshaped);
        }
        return new Converted(out, skipped, layout);
    }

    /**
     * A per-channel vector [c] where the graph holds it as [1, c, 1, 1] (GroupNorm's affine
     * parameters in psa's AffinityNet, plain [c] in PyTorch) is reshaped; anything else is returned
     * as it is.
     */
    private static INDArray fit(INDArray a, long[] expected) {
        if (a.rank() == 1 && expected.length > 1 && a.length() == Arrays.stream(expected).reduce(1, (x, y) -> x * y)
                && Arrays.stream(expected).filter(d -> d != 1).count() <= 1) {
            return a.reshape(expected);
        }
        return a;
    }

    /** [out, in, kh, kw] → [kh, kw, in, out] (a C-order copy); other ranks unchanged. */
    public static INDArray toSameDiff(INDArray pytorch) {
        return pytorch.rank() == 4 ? pytorch.permute(2, 3, 1, 0).dup('c') : pytorch;
    }

    /** [kh, kw, in, out] → [out, in, kh, kw] (a C-order copy); other ranks unchanged. */
    public static INDArray toPyTorch(INDArray samediff) {
        return samediff.rank() == 4 ? samediff.permute(3, 2, 0, 1).dup('c') : samediff;
    }

    /** The current values of the named variables (e.g. to write a model .npz), in the given order. */
    public static Map<String, INDArray> values(SameDiff sd, Collection<String> names) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String n : names) {
            if (!sd.hasVariable(n) || sd.getVariable(n).getArr() == null) {
                throw new PsaException("no variable '" + n + "' with a value in the graph");
            }
            out.put(n, sd.getVariable(n).getArr());
        }
        return out;
    }

    private static long[] toPyTorchShape(long[] s) {
        return s.length == 4 ? new long[] {s[3], s[2], s[0], s[1]} : s;
    }

    private static String layoutName(Layout l) {
        return l == Layout.PYTORCH ? "PyTorch layout [out, in, kh, kw]" : "SameDiff layout [kh, kw, in, out]";
    }

    private static Map<String, INDArray> stripModulePrefix(Map<String, INDArray> weights) {
        if (weights.isEmpty() || !weights.keySet().stream().allMatch(k -> k.startsWith("module."))) {
            return weights;
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        weights.forEach((k, v) -> out.put(k.substring("module.".length()), v));
        return out;
    }

    /**
     * The layout of a file's conv weights, from those whose shape fits only one layout: PYTORCH
     * when none decides, an error naming both kinds when they disagree.
     *
     * @param relevant file key → stored shape, for the keys that are expected
     * @param shapes   expected name → SameDiff shape
     */
    static Layout decide(Map<String, long[]> relevant, Map<String, long[]> shapes, String source) {
        Set<String> pytorch = new TreeSet<>();
        Set<String> samediff = new TreeSet<>();
        for (Map.Entry<String, long[]> e : relevant.entrySet()) {
            long[] a = e.getValue();
            long[] expected = shapes.get(e.getKey());
            if (a.length != 4 || expected == null) {
                continue;
            }
            boolean asIs = Arrays.equals(a, expected);
            boolean permuted = Arrays.equals(toPyTorchShape(expected), a);
            if (asIs && !permuted) {
                samediff.add(e.getKey());
            } else if (permuted && !asIs) {
                pytorch.add(e.getKey());
            }
        }
        if (!pytorch.isEmpty() && !samediff.isEmpty()) {
            throw new PsaException(source + ": conv weights mix layouts: " + first(pytorch) + " look like PyTorch's "
                    + "[out, in, kh, kw], " + first(samediff) + " like SameDiff's [kh, kw, in, out]");
        }
        return samediff.isEmpty() ? Layout.PYTORCH : Layout.SAMEDIFF;
    }

    private static String first(Set<String> s) {
        List<String> l = new ArrayList<>(s);
        return (l.size() > 5 ? l.subList(0, 5) + " …" : l.toString());
    }
}
