package dev.psa.backbones.weights;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.io.Npy;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneProvider;
import dev.psa.backbones.BackboneStats;
import dev.psa.backbones.Backbones;
import dev.psa.backbones.weights.WeightLoader.Layout;

/**
 * The logic of {@code psa weights import} and {@code psa weights inspect}. Imported weights are
 * written in the project's model format: an {@code .npz} of float32 arrays named by SameDiff
 * variable (the authors' checkpoint keys), conv weights in SameDiff's [kh, kw, in, out] layout.
 */
public final class WeightCommands {
    /**
     * Key prefixes of the reference heads (REFERENCE.md §Backbones): classifier {@code fc8},
     * AffinityNet {@code f8_3, f8_4, f8_5, f9}, and the GroupNorms {@code gn8_3, gn8_4, gn8_5}
     * of the VGG16 AffinityNet. They are carried over by an import with heads.
     */
    public static final List<String> HEAD_PREFIXES = List.of("fc8.", "f8_3.", "f8_4.", "f8_5.", "f9.", "gn8_3.",
            "gn8_4.", "gn8_5.");

    private WeightCommands() {
    }

    /**
     * What an import wrote.
     *
     * @param out       the written file
     * @param backbone  number of backbone tensors written (all of the backbone's parameters)
     * @param heads     head tensors written (keys with {@link #HEAD_PREFIXES}), empty without heads
     * @param skipped   keys of the source that were not written
     * @param layout    the layout the source's conv weights had
     */
    public record ImportResult(Path out, int backbone, List<String> heads, List<String> skipped, Layout layout) {
        public ImportResult {
            heads = List.copyOf(heads);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * {@code psa weights import --backbone NAME --from FILE --out FILE [--no-heads]}: reads a
     * {@code .pth} or {@code .npz} ({@link WeightFiles#read}), checks every backbone parameter
     * is present with the right shape (conv layout detected, {@link Layout#AUTO}), and writes
     * the backbone (and, with {@code withHeads}, the reference heads) as a model {@code .npz}.
     *
     * @param backboneName a backbone provider name, e.g. {@code resnet38}
     * @param cfg          the {@code backbone.}-scoped config view
     * @param log          receives a short summary
     * @throws WeightMismatchException listing missing, unexpected and wrongly shaped keys together
     */
    public static ImportResult importWeights(String backboneName, ComponentConfig cfg, Path from, Path out,
                                             boolean withHeads, PrintStream log) {
        return importWeights(Backbones.byName(backboneName, cfg), from, out, withHeads, Layout.AUTO, log);
    }

    /** Like {@link #importWeights(String, ComponentConfig, Path, Path, boolean, PrintStream)} for a backbone object. */
    public static ImportResult importWeights(Backbone backbone, Path from, Path out, boolean withHeads, Layout layout,
                                             PrintStream log) {
        requireNonNull(backbone, "backbone is null");
        requireNonNull(from, "from is null");
        requireNonNull(out, "out is null");
        requireNonNull(layout, "layout is null");
        requireNonNull(log, "log is null");
        Map<String, INDArray> source = WeightFiles.read(from);
        BackboneStats stats = BackboneStats.of(backbone);
        WeightLoader.Options options = WeightLoader.Options.pytorch().withLayout(layout)
                .withSkipPrefixes(HEAD_PREFIXES).withSource(from.toString());
        WeightLoader.Converted converted = WeightLoader.convert(source, stats.shapes(), options);
        Map<String, INDArray> written = new LinkedHashMap<>();
        converted.arrays().forEach((k, v) -> written.put(k, v.castTo(DataType.FLOAT)));
        List<String> heads = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String k : converted.skipped()) {
            String key = source.containsKey(k) ? k : "module." + k;
            INDArray v = source.get(key);
            if (withHeads && v != null && HEAD_PREFIXES.stream().anyMatch(k::startsWith)) {
                INDArray a = converted.layout() == Layout.PYTORCH ? WeightLoader.toSameDiff(v) : v;
                written.put(k, a.castTo(DataType.FLOAT));
                heads.add(k);
            } else {
                skipped.add(k);
            }
        }
        Npy.writeNpz(out, written, false);
        log.printf("imported %d %s tensors%s from %s (%s layout) into %s%n", converted.arrays().size(), backbone.name(),
                heads.isEmpty() ? "" : " and " + heads.size() + " head tensors " + heads, from,
                converted.layout() == Layout.PYTORCH ? "PyTorch" : "SameDiff", out);
        if (!skipped.isEmpty()) {
            log.println("skipped: " + skipped);
        }
        return new ImportResult(out, converted.arrays().size(), heads, skipped, converted.layout());
    }

    /**
     * {@code psa weights inspect FILE}: one line per tensor,
     * {@code KEY shape=[a, b, ...] dtype=float32 -> PSA_NAME} (or {@code -> unmapped}), and
     * comment lines ({@code # ...}) with the file, its format, the totals and how well the file
     * fits each backbone visible to this class's loader.
     */
    public static void inspect(Path file, PrintStream out) {
        List<Backbone> candidates = new ArrayList<>();
        for (BackboneProvider p : Backbones.providers().values()) {
            candidates.add(p.create(ComponentConfig.empty().scoped("backbone.")));
        }
        inspect(file, out, candidates);
    }

    /** Like {@link #inspect(Path, PrintStream)}, matching against the given backbones (default config). */
    public static void inspect(Path file, PrintStream out, List<Backbone> candidates) {
        requireNonNull(file, "file is null");
        requireNonNull(out, "out is null");
        requireNonNull(candidates, "candidates is null");
        WeightFiles.Format format = WeightFiles.format(file);
        Map<String, INDArray> arrays = WeightFiles.read(file);
        out.println("# " + file);
        out.println("# format: " + switch (format) {
            case NPZ -> "numpy .npz";
            case PTH_ZIP -> "PyTorch checkpoint (zip)";
            case PTH_LEGACY -> "PyTorch checkpoint (legacy pickle)";
        });
        long elements = 0;
        Set<String> known = new HashSet<>();
        candidates.forEach(b -> known.addAll(BackboneStats.of(b).shapes().keySet()));
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            INDArray a = e.getValue();
            elements += a.length();
            out.println(e.getKey() + " shape=" + Arrays.toString(a.shape()) + " dtype=" + dtypeName(a.dataType())
                    + " -> " + psaName(e.getKey(), known).orElse("unmapped"));
        }
        out.println("# tensors: " + arrays.size() + ", elements: " + elements);
        for (Backbone b : candidates) {
            out.println("# backbone " + b.name() + ": " + fit(arrays, BackboneStats.of(b), file));
        }
    }

    /**
     * The psa parameter a checkpoint key is loaded into: the key without a {@code module.} prefix
     * (nn.DataParallel) when it names a parameter of one of the backbones or a reference head;
     * empty for anything else (including batch-norm step counters, which are not loaded).
     */
    public static Optional<String> psaName(String key, Set<String> backboneParams) {
        String k = key.startsWith("module.") ? key.substring("module.".length()) : key;
        if (k.endsWith(".num_batches_tracked")) {
            return Optional.empty();
        }
        return backboneParams.contains(k) || HEAD_PREFIXES.stream().anyMatch(k::startsWith) ? Optional.of(k)
                : Optional.empty();
    }

    /** numpy's name of a data type ({@code float32}, {@code int64}, …). */
    static String dtypeName(DataType t) {
        return switch (t) {
            case FLOAT -> "float32";
            case DOUBLE -> "float64";
            case HALF -> "float16";
            case BFLOAT16 -> "bfloat16";
            case LONG -> "int64";
            case INT -> "int32";
            case SHORT -> "int16";
            case BYTE -> "int8";
            case UBYTE -> "uint8";
            case BOOL -> "bool";
            default -> t.toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String abbreviate(List<String> keys) {
        return keys.size() <= 5 ? String.join(", ", keys)
                : String.join(", ", keys.subList(0, 5)) + " … (" + keys.size() + " in all)";
    }

    private static String fit(Map<String, INDArray> arrays, BackboneStats stats, Path file) {
        WeightLoader.Options options = WeightLoader.Options.pytorch().withLayout(Layout.AUTO)
                .withSkipPrefixes(HEAD_PREFIXES).withSource(file.toString());
        int n = stats.shapes().size();
        try {
            WeightLoader.Converted c = WeightLoader.convert(arrays, stats.shapes(), options);
            return "fits (" + n + " of " + n + " parameters, " + (c.layout() == Layout.PYTORCH ? "PyTorch" : "SameDiff")
                    + " layout" + (c.skipped().isEmpty() ? "" : ", other keys: " + abbreviate(c.skipped())) + ")";
        } catch (WeightMismatchException e) {
            return "does not fit (" + (n - e.missing().size() - e.misshaped().size()) + " of " + n
                    + " parameters present with the right shape, " + e.missing().size() + " missing, "
                    + e.misshaped().size() + " wrongly shaped, " + e.unexpected().size() + " unexpected keys)";
        } catch (RuntimeException e) {
            return "does not fit (" + e.getMessage() + ")";
        }
    }
}
