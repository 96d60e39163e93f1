package dev.psa.backbones.weights;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.io.Npy;
import dev.psa.api.spi.Backbone;
import dev.psa.backbones.BackboneStats;
import dev.psa.backbones.weights.WeightLoader.Layout;

/**
 * Importing and inspecting weight files (the logic of {@code psa weights import} and
 * {@code psa weights inspect}; results are returned, the command prints them). Imported weights are
 * written in the project's model format: an {@code .npz} of float32 arrays named by SameDiff
 * variable (the authors' checkpoint keys), conv weights in SameDiff's [kh, kw, in, out] layout.
 */
public final class WeightImport {
    /**
     * Key prefixes of the reference heads (REFERENCE.md §Backbones): classifier {@code fc8},
     * AffinityNet {@code f8_3, f8_4, f8_5, f9}, and the GroupNorms {@code gn8_3, gn8_4, gn8_5}
     * of the VGG16 AffinityNet, for {@link WeightLoader.Options#withSkipPrefixes} (the backbone
     * alone from a checkpoint with heads). The exact head parameters are {@link WeightPlan#HEAD_NAMES}.
     */
    public static final List<String> HEAD_PREFIXES = List.of("fc8.", "f8_3.", "f8_4.", "f8_5.", "f9.", "gn8_3.",
            "gn8_4.", "gn8_5.");

    private WeightImport() {
    }

    /**
     * What an import wrote.
     *
     * @param out       the written file
     * @param backbone  number of backbone tensors written (all of the backbone's parameters)
     * @param heads     head tensors written ({@link WeightPlan#HEAD_NAMES}), empty without heads
     * @param skipped   keys of the source that were not written
     * @param layout    the layout the source's conv weights had
     * @param lines     the summary {@code psa weights import} prints: {@code imported N NAME tensors ...
     *                  from FILE (L layout) into OUT}, then {@code left out: ...} when keys were left out
     */
    public record ImportResult(Path out, int backbone, List<String> heads, List<String> skipped, Layout layout,
                               List<String> lines) {
        public ImportResult {
            heads = List.copyOf(heads);
            skipped = List.copyOf(skipped);
            lines = List.copyOf(lines);
        }
    }

    /**
     * Imports a {@code .pth} or {@code .npz} into psa's model format: plans every key
     * ({@link WeightPlan}: every backbone parameter present with the right shape, conv layout
     * detected with {@link Layout#AUTO}; with {@code withHeads} every head the file has —
     * {@code fc8}; {@code f8_3..5}, {@code f9}, and {@code gn8_3..5} on GroupNorm backbones — checked
     * against the backbone's output and tap channels; without, heads are left out) before reading
     * any data, then reads, converts and writes one tensor at a time to a temporary file renamed to
     * {@code out} at the end. Any key without a place stops the import before anything is written.
     *
     * @throws WeightMismatchException listing every missing, unexpected and wrongly shaped key together
     * @throws PsaException naming the file (and tensor) when it cannot be read
     */
    public static ImportResult importWeights(Backbone backbone, Path from, Path out, boolean withHeads,
                                             Layout layout) {
        requireNonNull(backbone, "backbone is null");
        requireNonNull(from, "from is null");
        requireNonNull(out, "out is null");
        requireNonNull(layout, "layout is null");
        BackboneStats stats = BackboneStats.of(backbone);
        WeightPlan plan;
        try (WeightSource source = WeightSource.open(from)) {
            plan = WeightPlan.of(from.toString(), source.info().shapes(), stats, withHeads ? Heads.ANY : Heads.NONE,
                    layout);
            Npy.writeNpz(out, new Converted(plan.placed(), source), false);
        }
        List<String> heads = plan.heads();
        int backboneCount = plan.placed().size() - heads.size();
        List<String> skipped = List.copyOf(plan.leftOut().keySet());
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "imported %d %s tensors%s from %s (%s layout) into %s", backboneCount,
                backbone.name(), heads.isEmpty() ? "" : " and " + heads.size() + " head tensors " + heads, from,
                plan.layout() == Layout.PYTORCH ? "PyTorch" : "SameDiff", out));
        if (!plan.leftOut().isEmpty()) {
            lines.add("left out: " + leftOut(plan));
        }
        return new ImportResult(out, backboneCount, heads, skipped, plan.layout(), lines);
    }

    /**
     * {@code psa weights inspect FILE}: one line per tensor,
     * {@code KEY shape=[a, b, ...] dtype=float32 -> PSA_NAME} (or {@code -> unmapped}), and
     * comment lines ({@code # ...}) with the file, its format, the totals and how well the file
     * fits each of {@code candidates} (backbones with their default config). Reads the file's header
     * only: no tensor data.
     */
    public static List<String> inspect(Path file, List<Backbone> candidates) {
        requireNonNull(file, "file is null");
        requireNonNull(candidates, "candidates is null");
        List<String> out = new ArrayList<>();
        WeightFileInfo info = WeightFiles.describe(file);
        out.add("# " + file);
        out.add("# format: " + switch (info.format()) {
            case NPZ -> "numpy .npz";
            case PTH_ZIP -> "PyTorch checkpoint (zip)";
            case PTH_LEGACY -> "PyTorch checkpoint (legacy pickle)";
        } + (info.wrapped() ? ", state_dict wrapped in a dict with " + info.otherEntries().keySet() : ""));
        List<BackboneStats> stats = candidates.stream().map(BackboneStats::of).toList();
        Set<String> known = new HashSet<>();
        stats.forEach(b -> known.addAll(b.shapes().keySet()));
        long elements = 0;
        for (Map.Entry<String, TensorInfo> e : info.tensors().entrySet()) {
            TensorInfo t = e.getValue();
            elements += t.length();
            out.add(e.getKey() + " shape=" + Arrays.toString(t.shape()) + " dtype=" + t.dtype()
                    + " -> " + psaName(e.getKey(), known).orElse("unmapped"));
        }
        out.add("# tensors: " + info.tensors().size() + ", elements: " + elements);
        for (BackboneStats b : stats) {
            out.add("# backbone " + b.name() + ": " + fit(info, b));
        }
        return out;
    }

    /**
     * The psa parameter a checkpoint key is loaded into: the key without a {@code module.} prefix
     * (nn.DataParallel) when it names a parameter of one of the backbones or a head parameter
     * ({@link WeightPlan#HEAD_NAMES}); empty for anything else (including batch-norm step counters,
     * which psa's frozen batch norm does not have).
     */
    public static Optional<String> psaName(String key, Set<String> backboneParams) {
        String k = key.startsWith("module.") ? key.substring("module.".length()) : key;
        if (k.endsWith(".num_batches_tracked")) {
            return Optional.empty();
        }
        return backboneParams.contains(k) || WeightPlan.HEAD_NAMES.contains(k) ? Optional.of(k) : Optional.empty();
    }

    /**
     * The first of {@code candidates} (other than {@code except}) the file fits with every key placed,
     * for hints after a failed import.
     */
    public static Optional<String> fittingBackbone(Path file, List<Backbone> candidates, String except) {
        WeightFileInfo info = WeightFiles.describe(file);
        for (Backbone b : candidates) {
            if (b.name().equals(except)) {
                continue;
            }
            try {
                WeightPlan.of(file.toString(), info.shapes(), BackboneStats.of(b), Heads.ANY, Layout.AUTO);
                return Optional.of(b.name());
            } catch (RuntimeException e) {
                // does not fit: try the next one
            }
        }
        return Optional.empty();
    }

    /** "37 keys (batch-norm step counter, not a parameter)", one part per reason. */
    private static String leftOut(WeightPlan plan) {
        Map<String, Long> reasons = new LinkedHashMap<>();
        plan.leftOut().values().forEach(r -> reasons.merge(r, 1L, Long::sum));
        List<String> parts = new ArrayList<>();
        reasons.forEach((reason, n) -> parts.add(n + " key" + (n == 1 ? "" : "s") + " (" + reason + ")"));
        return String.join(", ", parts);
    }

    private static String fit(WeightFileInfo info, BackboneStats stats) {
        int n = stats.shapes().size();
        try {
            WeightPlan plan = WeightPlan.of(info.file().toString(), info.shapes(), stats, Heads.ANY, Layout.AUTO);
            List<String> heads = plan.heads();
            return "fits (" + n + " of " + n + " parameters, " + (plan.layout() == Layout.PYTORCH ? "PyTorch" : "SameDiff")
                    + " layout" + (heads.isEmpty() ? "" : ", heads: " + String.join(", ", heads))
                    + (plan.leftOut().isEmpty() ? "" : ", left out: " + leftOut(plan)) + ")";
        } catch (WeightMismatchException e) {
            long wrong = e.misshaped().stream().filter(m -> stats.shapes().containsKey(m.substring(0, m.indexOf(':'))))
                    .count();
            return "does not fit (" + (n - countBackbone(e.missing(), stats) - wrong) + " of " + n
                    + " parameters present with the right shape; " + e.missing().size() + " missing, "
                    + e.misshaped().size() + " wrongly shaped, " + e.unexpected().size() + " unexpected keys)";
        } catch (RuntimeException e) {
            return "does not fit (" + e.getMessage() + ")";
        }
    }

    private static long countBackbone(List<String> names, BackboneStats stats) {
        return names.stream().filter(stats.shapes()::containsKey).count();
    }

    /**
     * The planned arrays, each read and converted when the writer reaches it: the writer holds one
     * tensor at a time, and the map is only iterated once, in order.
     */
    private static final class Converted extends AbstractMap<String, INDArray> {
        private final List<WeightPlan.Placement> placed;
        private final WeightSource source;

        Converted(List<WeightPlan.Placement> placed, WeightSource source) {
            this.placed = placed;
            this.source = source;
        }

        @Override
        public Set<Entry<String, INDArray>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, INDArray>> iterator() {
                    Iterator<WeightPlan.Placement> it = placed.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Entry<String, INDArray> next() {
                            WeightPlan.Placement p = it.next();
                            return new SimpleImmutableEntry<>(p.name(), p.convert(source.read(p.key())));
                        }
                    };
                }

                @Override
                public int size() {
                    return placed.size();
                }
            };
        }
    }
}
