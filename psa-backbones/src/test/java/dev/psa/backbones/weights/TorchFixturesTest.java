package dev.psa.backbones.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.PsaException;
import dev.psa.backbones.BackboneStats;
import dev.psa.backbones.resnet38.ResNet38Backbone;
import dev.psa.backbones.resnet38.ResNet38Config;
import dev.psa.backbones.tiny.TinyBackbone;
import dev.psa.backbones.vgg16.Vgg16Backbone;
import dev.psa.backbones.vgg16.Vgg16Config;
import dev.psa.backbones.weights.WeightLoader.Layout;

/**
 * Every file written by a real {@code torch.save} ({@code src/test/resources/torch-fixtures/README.md}:
 * zip with data descriptors, legacy, wrapped, {@code module.}-prefixed, shared storages,
 * transposed views, int64 counters) reads back exactly as {@code torch.load} read it
 * ({@code expected.json}: format, wrapping, keys in order, shape, dtype, storage offset, stride,
 * contiguity, sum, first four values); every key of the authors' checkpoints has a psa parameter;
 * bad files stop an import before anything is written.
 */
class TorchFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static BackboneStats resnet38;
    private static BackboneStats vgg16;

    /** {@code /torch-fixtures/NAME} of the test class path. */
    static Path fixture(String name) {
        try {
            return Path.of(TorchFixturesTest.class.getResource("/torch-fixtures/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("test resource /torch-fixtures/" + name + " not found", e);
        }
    }

    static JsonNode expected() throws Exception {
        return JSON.readTree(fixture("expected.json").toFile()).path("files");
    }

    static List<String> files() throws Exception {
        List<String> names = new ArrayList<>();
        expected().fieldNames().forEachRemaining(names::add);
        return names;
    }

    static synchronized BackboneStats resnet38() {
        if (resnet38 == null) {
            resnet38 = BackboneStats.of(new ResNet38Backbone(ResNet38Config.defaults()));
        }
        return resnet38;
    }

    static synchronized BackboneStats vgg16() {
        if (vgg16 == null) {
            vgg16 = BackboneStats.of(new Vgg16Backbone(Vgg16Config.defaults()));
        }
        return vgg16;
    }

    @ParameterizedTest
    @MethodSource("files")
    void readsLikeTorchLoad(String name) throws Exception {
        JsonNode exp = expected().path(name);
        Path file = fixture(name);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))))
                .as("the fixture is the file expected.json describes").isEqualTo(exp.path("sha256").asText());
        boolean zip = exp.path("format").asText().equals("zip");
        assertThat(WeightFiles.format(file)).isEqualTo(zip ? WeightFiles.Format.PTH_ZIP : WeightFiles.Format.PTH_LEGACY);

        WeightFileInfo info = WeightFiles.describe(file);
        assertThat(info.format()).isEqualTo(WeightFiles.format(file));
        assertThat(info.wrapped()).as("wrapped").isEqualTo(exp.path("wrapped").asBoolean());
        Map<String, Object> other = new LinkedHashMap<>();
        exp.path("other_entries").fields().forEachRemaining(e -> other.put(e.getKey(), e.getValue().asLong()));
        assertThat(info.otherEntries().keySet()).containsExactlyElementsOf(other.keySet());
        other.forEach((k, v) -> assertThat(((Number) info.otherEntries().get(k)).longValue()).as(k).isEqualTo(v));

        Map<String, INDArray> read = WeightFiles.read(file);
        List<String> keys = new ArrayList<>();
        exp.path("tensors").fieldNames().forEachRemaining(keys::add);
        assertThat(info.tensors().keySet()).containsExactlyElementsOf(keys);
        assertThat(read.keySet()).containsExactlyElementsOf(keys);
        for (Iterator<Map.Entry<String, JsonNode>> it = exp.path("tensors").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String as = name + " " + e.getKey();
            JsonNode t = e.getValue();
            TensorInfo ti = info.tensors().get(e.getKey());
            assertThat(ti.shape()).as(as + " shape").containsExactly(longs(t.path("shape")));
            assertThat(ti.stride()).as(as + " stride").containsExactly(longs(t.path("stride")));
            assertThat(ti.storageOffset()).as(as + " storage offset").isEqualTo(t.path("storage_offset").asLong());
            assertThat(ti.contiguous()).as(as + " contiguous").isEqualTo(t.path("contiguous").asBoolean());
            assertThat(ti.dtype()).as(as + " dtype").isEqualTo(t.path("dtype").asText());

            INDArray a = read.get(e.getKey());
            assertThat(a.shape()).as(as + " shape").containsExactly(longs(t.path("shape")));
            assertThat(a.dataType()).as(as + " dtype")
                    .isEqualTo(t.path("dtype").asText().equals("int64") ? DataType.LONG : DataType.FLOAT);
            INDArray flat = a.castTo(DataType.DOUBLE).reshape(a.length());
            assertThat(flat.sumNumber().doubleValue()).as(as + " sum").isCloseTo(t.path("sum").asDouble(), within(1e-9));
            for (int i = 0; i < t.path("first4").size(); i++) {
                assertThat(flat.getDouble(i)).as(as + "[" + i + "]").isEqualTo(t.path("first4").path(i).asDouble());
            }
        }
    }

    /** The storage sharing the fixtures' README describes is seen as such: two views of one storage. */
    @Test
    void sharedStoragesAndTransposedViewsAreSeen() {
        WeightFileInfo cls = WeightFiles.describe(fixture("resnet38_cls.pth"));
        TensorInfo mean = cls.tensors().get("b2.bn_branch2a.running_mean");
        TensorInfo var = cls.tensors().get("b2.bn_branch2a.running_var");
        assertThat(var.storage()).isEqualTo(mean.storage());
        assertThat(mean.storageOffset()).isZero();
        assertThat(var.storageOffset()).isEqualTo(4);
        assertThat(cls.tensors().get("b2.bn_branch2b1.running_var").storage()).isNotEqualTo(mean.storage());
        TensorInfo t = cls.tensors().get("b2.conv_branch1.weight");
        assertThat(t.contiguous()).isFalse();
        // element [o, i] of the [6, 4, 1, 1] view is element [i, o] of the [4, 6] storage
        INDArray w = WeightFiles.read(fixture("resnet38_cls.pth")).get("b2.conv_branch1.weight");
        for (int o = 0; o < 6; o++) {
            for (int i = 0; i < 4; i++) {
                long index = i * 6L + o;
                double v = ((37 * index + 11 * 50) % 101 - 50) / 64.0; // make_fixtures.py vals(t = 50)
                assertThat(w.getDouble(o, i, 0, 0)).as("[%d, %d]", o, i).isEqualTo(v);
            }
        }
    }

    /**
     * The zip fixtures are what {@code torch.save} writes: every local entry header has
     * general-purpose flag bit 3 (sizes in a data descriptor after the data) and method STORED,
     * the case {@code ZipInputStream} refuses; psa's own {@code weights/tiny_state_dict.pth},
     * written by Python's {@code zipfile}, has neither bit.
     */
    @Test
    void zipFixturesUseDataDescriptorsLikeTorchSave() throws Exception {
        assertThat(firstLocalHeaderFlags(fixture("resnet38_cls.pth"))).isEqualTo(0x0808);
        assertThat(firstLocalHeaderFlags(fixture("vgg16_aff.pth"))).isEqualTo(0x0808);
        assertThat(firstLocalHeaderFlags(Fixtures.resource("tiny_state_dict.pth")) & 0x0008).isZero();
        assertThat(WeightFiles.read(fixture("vgg16_aff.pth"))).hasSize(20);
        assertThat(WeightFiles.read(Fixtures.resource("tiny_state_dict.pth"))).hasSize(12);
    }

    private static int firstLocalHeaderFlags(Path zip) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(zip.toFile(), "r")) {
            assertThat(f.readInt()).as("local file header signature").isEqualTo(0x504b0304);
            f.readShort(); // version needed
            int flags = Short.toUnsignedInt(Short.reverseBytes(f.readShort()));
            int method = Short.toUnsignedInt(Short.reverseBytes(f.readShort()));
            assertThat(method).as("STORED").isZero();
            return flags;
        }
    }

    /**
     * Name mapping, independent of shapes: the all-keys fixtures hold every key of the authors'
     * resnet38_cls / resnet38_aff state_dicts (tiny channels); each maps to a psa parameter except
     * the batch-norm step counters, and together they are exactly psa's ResNet-38 parameters plus
     * the heads. The VGG16 fixtures hold a backbone subset and every head key of vgg16_cls /
     * vgg16_aff (fc8; f8_3..5, gn8_3..5, f9).
     */
    @ParameterizedTest
    @MethodSource("authorsFiles")
    void everyKeyOfTheAuthorsCheckpointsMapsToAPsaParameter(String name, List<String> heads) {
        BackboneStats backbone = name.startsWith("vgg16") ? vgg16() : resnet38();
        Set<String> params = backbone.shapes().keySet();
        Set<String> mapped = new LinkedHashSet<>();
        List<String> unmapped = new ArrayList<>();
        for (String key : WeightFiles.describe(fixture(name)).tensors().keySet()) {
            String psa = WeightImport.psaName(key, params).orElse(null);
            if (psa != null) {
                assertThat(psa).as(key).isEqualTo(key.startsWith("module.") ? key.substring(7) : key);
                mapped.add(psa);
            } else if (!key.endsWith(".num_batches_tracked")) {
                unmapped.add(key);
            }
        }
        assertThat(unmapped).as(name).isEmpty();
        assertThat(mapped).as(name + " heads").containsAll(heads);
        assertThat(mapped.stream().filter(WeightPlan.HEAD_NAMES::contains)).containsExactlyInAnyOrderElementsOf(heads);
        if (name.contains("allkeys")) {
            assertThat(mapped.stream().filter(k -> !heads.contains(k)))
                    .as("the all-keys file holds exactly the backbone's parameters").containsExactlyInAnyOrderElementsOf(params);
        } else {
            assertThat(params).containsAll(mapped.stream().filter(k -> !heads.contains(k)).toList());
        }
    }

    static List<Arguments> authorsFiles() {
        List<String> aff = List.of("f8_3.weight", "f8_4.weight", "f8_5.weight", "f9.weight");
        List<String> vggAff = Stream.concat(aff.stream(), WeightPlan.GROUP_NORMS.stream()).toList();
        return List.of(Arguments.of("resnet38_cls_allkeys.pth", List.of("fc8.weight")),
                Arguments.of("resnet38_aff_allkeys_legacy.pth", aff),
                Arguments.of("vgg16_cls.pth", List.of("fc8.weight")), Arguments.of("vgg16_aff.pth", vggAff),
                Arguments.of("vgg16_aff_legacy.pth", vggAff), Arguments.of("resnet38_cls_module.pth", List.of("fc8.weight")),
                Arguments.of("resnet38_aff_wrapped.pth", aff), Arguments.of("resnet38_aff_wrapped_legacy.pth", aff));
    }

    /**
     * The authors' four checkpoints at their real shapes — keys of the all-keys fixtures (ResNet-38)
     * and of REFERENCE.md's VGG16-d layer table, head shapes from REFERENCE.md §Stage 1/3 — are
     * planned into psa's backbones with every key placed (counters left out), each head at psa's
     * shape; read as the wrong kind of model, or into the wrong backbone, every key is named.
     */
    @Test
    void theAuthorsFourCheckpointsPlanIntoPsasBackbonesWithTheirHeads() throws Exception {
        Map<String, long[]> r38 = resnet38Backbone("resnet38_cls_allkeys.pth");
        Map<String, long[]> r38cls = with(r38, Map.of("fc8.weight", new long[] {20, 4096, 1, 1}));
        Map<String, long[]> r38aff = with(r38, Map.of("f8_3.weight", new long[] {64, 512, 1, 1},
                "f8_4.weight", new long[] {128, 1024, 1, 1}, "f8_5.weight", new long[] {256, 4096, 1, 1},
                "f9.weight", new long[] {448, 448, 1, 1}));
        Map<String, long[]> vgg = vgg16Backbone();
        Map<String, long[]> vggCls = with(vgg, Map.of("fc8.weight", new long[] {20, 1024, 1, 1}));
        Map<String, long[]> vggAff = with(vgg, Map.of("f8_3.weight", new long[] {64, 512, 1, 1},
                "f8_4.weight", new long[] {128, 512, 1, 1}, "f8_5.weight", new long[] {256, 1024, 1, 1},
                "gn8_3.weight", new long[] {64}, "gn8_3.bias", new long[] {64}, "gn8_4.weight", new long[] {128},
                "gn8_4.bias", new long[] {128}, "gn8_5.weight", new long[] {256}, "gn8_5.bias", new long[] {256},
                "f9.weight", new long[] {448, 448, 1, 1}));

        WeightPlan p = WeightPlan.of("res38_cls.pth", r38cls, resnet38(), Heads.CLASSIFIER, Layout.AUTO);
        assertThat(p.layout()).isEqualTo(Layout.PYTORCH);
        assertThat(p.heads()).containsExactly("fc8.weight");
        assertThat(p.placed()).hasSize(resnet38().shapes().size() + 1);
        assertThat(p.leftOut()).hasSize(r38cls.size() - p.placed().size()).allSatisfy((k, why) ->
                assertThat(k).endsWith(".num_batches_tracked"));
        assertThat(shape(p, "fc8.weight")).containsExactly(1, 1, 4096, 20);
        assertThat(shape(p, "b7.conv_branch2b1.weight")).containsExactly(3, 3, 1024, 2048);

        p = WeightPlan.of("res38_aff.pth", r38aff, resnet38(), Heads.AFFINITY, Layout.AUTO);
        assertThat(p.heads()).containsExactly("f8_3.weight", "f8_4.weight", "f8_5.weight", "f9.weight");
        assertThat(shape(p, "f8_5.weight")).containsExactly(1, 1, 4096, 256);
        assertThat(shape(p, "f9.weight")).containsExactly(1, 1, 448, 448);
        assertThat(WeightPlan.of("res38_aff.pth", r38aff, resnet38(), Heads.ANY, Layout.AUTO).heads())
                .isEqualTo(p.heads());

        p = WeightPlan.of("vgg16_cls.pth", vggCls, vgg16(), Heads.CLASSIFIER, Layout.AUTO);
        assertThat(p.placed()).hasSize(31);
        assertThat(shape(p, "fc8.weight")).containsExactly(1, 1, 1024, 20);
        p = WeightPlan.of("vgg16_aff.pth", vggAff, vgg16(), Heads.AFFINITY, Layout.AUTO);
        assertThat(p.placed()).hasSize(40);
        assertThat(p.leftOut()).isEmpty();
        assertThat(shape(p, "gn8_4.bias")).containsExactly(1, 128, 1, 1);
        assertThat(shape(p, "f8_4.weight")).containsExactly(1, 1, 512, 128);

        // a classifier where an AffinityNet is wanted, and the other way round
        assertThatThrownBy(() -> WeightPlan.of("res38_cls.pth", r38cls, resnet38(), Heads.AFFINITY, Layout.AUTO))
                .isInstanceOfSatisfying(WeightMismatchException.class, e -> {
                    assertThat(e.unexpected()).containsExactly("fc8.weight (the classifier's head; an AffinityNet has none)");
                    assertThat(e.missing()).containsExactly("f8_3.weight", "f8_4.weight", "f8_5.weight", "f9.weight");
                }).hasMessageStartingWith("res38_cls.pth: ");
        assertThatThrownBy(() -> WeightPlan.of("vgg16_aff.pth", vggAff, vgg16(), Heads.CLASSIFIER, Layout.AUTO))
                .isInstanceOfSatisfying(WeightMismatchException.class, e -> {
                    assertThat(e.unexpected()).hasSize(10).allMatch(k -> k.endsWith("a classifier has only fc8.weight)"));
                    assertThat(e.missing()).containsExactly("fc8.weight");
                });
        // the VGG16 AffinityNet's GroupNorms have no place in ResNet-38's AffinityNet
        Map<String, long[]> r38WithGn = with(r38aff, Map.of("gn8_3.weight", new long[] {64}));
        assertThatThrownBy(() -> WeightPlan.of("x.pth", r38WithGn, resnet38(), Heads.ANY, Layout.AUTO))
                .isInstanceOfSatisfying(WeightMismatchException.class, e -> assertThat(e.unexpected()).containsExactly(
                        "gn8_3.weight (a GroupNorm of a VGG16-style AffinityNet head; resnet38's AffinityNet has none)"));
        // a VGG16 AffinityNet without its GroupNorms cannot be psa's VGG16 AffinityNet
        Map<String, long[]> vggNoGn = new LinkedHashMap<>(vggAff);
        vggNoGn.keySet().removeIf(k -> k.startsWith("gn8_"));
        assertThatThrownBy(() -> WeightPlan.of("x.pth", vggNoGn, vgg16(), Heads.AFFINITY, Layout.AUTO))
                .isInstanceOfSatisfying(WeightMismatchException.class, e ->
                        assertThat(e.missing()).containsExactlyElementsOf(WeightPlan.GROUP_NORMS));

        // the wrong backbone: every key named
        assertThatThrownBy(() -> WeightPlan.of("vgg16_aff.pth", vggAff, resnet38(), Heads.ANY, Layout.AUTO))
                .isInstanceOfSatisfying(WeightMismatchException.class, e -> {
                    assertThat(e.missing()).hasSize(resnet38().shapes().size());
                    assertThat(e.unexpected()).hasSize(30 + 6).contains("conv1_1.weight", "fc7.bias");
                    assertThat(e.misshaped()).containsExactly(
                            "f8_4.weight: file [128, 512, 1, 1], expected [c, 1024, 1, 1] (PyTorch layout [out, in, kh, kw];"
                                    + " c = the head's channels)",
                            "f8_5.weight: file [256, 1024, 1, 1], expected [c, 4096, 1, 1] (PyTorch layout [out, in, kh, kw];"
                                    + " c = the head's channels)");
                });
    }

    /** Shape mismatches: a backbone parameter, a head's input channels, GroupNorm and f9 sizes. */
    @Test
    void wronglyShapedParametersAreNamedWithBothShapes() throws Exception {
        Map<String, long[]> r38 = resnet38Backbone("resnet38_cls_allkeys.pth");
        Map<String, long[]> bad = with(r38, Map.of("b4_3.conv_branch2a.weight", new long[] {512, 512, 1, 3},
                "fc8.weight", new long[] {20, 1024, 1, 1}));
        assertThatThrownBy(() -> WeightPlan.of("bad.pth", bad, resnet38(), Heads.CLASSIFIER, Layout.AUTO))
                .isInstanceOfSatisfying(WeightMismatchException.class, e -> assertThat(e.misshaped()).containsExactly(
                        "b4_3.conv_branch2a.weight: file [512, 512, 1, 3], expected [512, 512, 3, 3]"
                                + " (PyTorch layout [out, in, kh, kw])",
                        "fc8.weight: file [20, 1024, 1, 1], expected [K, 4096, 1, 1] (PyTorch layout [out, in, kh, kw];"
                                + " K = the number of classes)"))
                .hasMessageContaining("bad.pth: weights do not fit the network (0 missing, 0 unexpected, 2 wrongly shaped)");

        Map<String, long[]> vggAff = with(vgg16Backbone(), Map.of("f8_3.weight", new long[] {64, 512, 1, 1},
                "f8_4.weight", new long[] {128, 512, 1, 1}, "f8_5.weight", new long[] {256, 1024, 1, 1},
                "gn8_3.weight", new long[] {64}, "gn8_3.bias", new long[] {32}, "gn8_4.weight", new long[] {128},
                "gn8_4.bias", new long[] {128}, "gn8_5.weight", new long[] {256}, "gn8_5.bias", new long[] {256},
                "f9.weight", new long[] {512, 512, 1, 1}));
        assertThatThrownBy(() -> WeightPlan.of("vgg.pth", vggAff, vgg16(), Heads.AFFINITY, Layout.AUTO))
                .isInstanceOfSatisfying(WeightMismatchException.class, e -> assertThat(e.misshaped()).containsExactly(
                        "gn8_3.bias: file [32], expected [64] (one value per channel of the tap conv before it)",
                        "f9.weight: file [512, 512, 1, 1], expected [448, 448, 1, 1] (PyTorch layout [out, in, kh, kw])"));
    }

    /**
     * Every storage type, zip and legacy, and the same zip re-packed with DEFLATED entries (read
     * through the library's inflater instead of at the data offset): values {@code i - 2} as
     * torch wrote them (make_extra_fixtures.py), each read into the dtype the reader promises.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dtypes.pth", "dtypes_legacy.pth", "deflated"})
    void everyStorageTypeReadsWithItsValues(String name, @TempDir Path dir) throws Exception {
        Path file = name.equals("deflated") ? deflatedCopy(fixture("dtypes.pth"), dir.resolve("deflated.pth"))
                : fixture(name);
        WeightFileInfo info = WeightFiles.describe(file);
        Map<String, String> dtypes = new LinkedHashMap<>();
        info.tensors().forEach((k, t) -> dtypes.put(k, t.dtype()));
        assertThat(dtypes).containsExactly(Map.entry("f32", "float32"), Map.entry("f64", "float64"),
                Map.entry("f16", "float16"), Map.entry("bf16", "bfloat16"), Map.entry("i64", "int64"),
                Map.entry("i32", "int32"), Map.entry("i16", "int16"), Map.entry("i8", "int8"), Map.entry("u8", "uint8"),
                Map.entry("bool", "bool"), Map.entry("i64_strided", "int64"));
        assertThat(info.tensors().get("i64_strided").stride()).containsExactly(1, 3);
        assertThat(info.tensors().get("i64_strided").contiguous()).isFalse();

        Map<String, INDArray> m = WeightFiles.read(file);
        Map<String, DataType> types = Map.ofEntries(Map.entry("f32", DataType.FLOAT), Map.entry("f64", DataType.DOUBLE),
                Map.entry("f16", DataType.FLOAT), Map.entry("bf16", DataType.FLOAT), Map.entry("i64", DataType.LONG),
                Map.entry("i32", DataType.INT), Map.entry("i16", DataType.INT), Map.entry("i8", DataType.INT),
                Map.entry("u8", DataType.INT), Map.entry("bool", DataType.BOOL), Map.entry("i64_strided", DataType.LONG));
        types.forEach((k, t) -> assertThat(m.get(k).dataType()).as(k).isEqualTo(t));
        for (String k : List.of("f32", "f64", "f16", "bf16", "i64", "i32", "i16", "i8")) {
            double[] v = m.get(k).castTo(DataType.DOUBLE).reshape(m.get(k).length()).toDoubleVector();
            for (int i = 0; i < v.length; i++) {
                assertThat(v[i]).as(k + "[" + i + "]").isEqualTo(i - 2);
            }
        }
        assertThat(m.get("f32").shape()).containsExactly(2, 3);
        assertThat(m.get("i64").shape()).containsExactly(2, 2);
        assertThat(m.get("u8").toIntVector()).containsExactly(0, 1, 2, 3, 4);
        assertThat(m.get("bool").castTo(DataType.INT).toIntVector()).containsExactly(0, 1, 0, 1, 0);
        INDArray strided = m.get("i64_strided");
        assertThat(strided.shape()).containsExactly(3, 2);
        assertThat(strided.reshape(6).toLongVector()).containsExactly(-2, 1, -1, 2, 0, 3);
    }

    /** The zip's entries written again DEFLATED (Python's zipfile with ZIP_DEFLATED would do the same). */
    private static Path deflatedCopy(Path zip, Path out) throws Exception {
        try (ZipFile in = new ZipFile(zip.toFile()); ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e : Collections.list(in.entries())) {
                z.putNextEntry(new ZipEntry(e.getName()));
                try (var data = in.getInputStream(e)) {
                    data.transferTo(z);
                }
                z.closeEntry();
            }
        }
        try (ZipFile check = new ZipFile(out.toFile())) {
            assertThat(check.stream().map(ZipEntry::getMethod)).containsOnly(ZipEntry.DEFLATED);
        }
        return out;
    }

    /** A pickle that names a class outside the allow-list: refused naming the file and the global, nothing written. */
    @Test
    void aWholePickledModuleIsRefusedNamingTheGlobalAndNothingIsWritten(@TempDir Path dir) {
        Path file = fixture("whole_module.pth");
        Path out = dir.resolve("out.npz");
        assertThatThrownBy(() -> WeightImport.importWeights(new TinyBackbone(Fixtures.TINY), file, out, true,
                Layout.AUTO))
                .isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining(file + "!whole_module/data.pkl: refused to unpickle: global "
                        + "'torch.nn.modules.container.Sequential' is not allowed");
        assertThatThrownBy(() -> WeightFiles.describe(file)).isInstanceOf(UnsafePickleException.class);
        assertThat(dir).isEmptyDirectory();
    }

    @ParameterizedTest
    @MethodSource("truncations")
    void aTruncatedCheckpointIsAClearErrorNamingTheFileAndNothingIsWritten(String name, int keep, String says,
            @TempDir Path dir) throws Exception {
        byte[] all = Files.readAllBytes(fixture(name));
        Path cut = dir.resolve("cut-" + name);
        Files.write(cut, Arrays.copyOf(all, keep < 0 ? all.length + keep : all.length * keep / 100));
        Path out = dir.resolve("out").resolve("out.npz");
        assertThatThrownBy(() -> WeightImport.importWeights(new TinyBackbone(Fixtures.TINY), cut, out, true,
                Layout.AUTO))
                .isInstanceOf(PsaException.class).hasMessageStartingWith(cut.toString()).hasMessageContaining(says);
        assertThat(dir.resolve("out")).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(cut);
        }
    }

    static List<Arguments> truncations() {
        return List.of(
                Arguments.of("vgg16_aff.pth", 50, "not a readable zip file"),
                Arguments.of("vgg16_aff.pth", 95, "not a readable zip file"),
                Arguments.of("vgg16_aff.pth", -1, "not a readable zip file"),
                Arguments.of("vgg16_aff_legacy.pth", 10, "truncated PyTorch checkpoint (it ends inside its pickled header, at byte "),
                // the cut falls in the last storage: the message names it and the tensor it holds
                Arguments.of("vgg16_aff_legacy.pth", -4, "truncated PyTorch checkpoint: storage '"),
                Arguments.of("vgg16_aff_legacy.pth", -4, "(tensor gn8_4.weight) needs the file to be at least 8689 bytes long, it has 8685"),
                Arguments.of("resnet38_aff_wrapped_legacy.pth", 95, "truncated PyTorch checkpoint: storage '"));
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** The all-keys fixture's backbone keys at psa's (full) ResNet-38 shapes in PyTorch layout, counters as []. */
    private static Map<String, long[]> resnet38Backbone(String allKeys) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String key : WeightFiles.describe(fixture(allKeys)).tensors().keySet()) {
            if (key.endsWith(".num_batches_tracked")) {
                out.put(key, new long[0]);
            } else if (resnet38().shapes().containsKey(key)) {
                out.put(key, WeightPlan.toPyTorch(resnet38().shapes().get(key)));
            }
        }
        assertThat(out).hasSize(229 - 1);
        return out;
    }

    /** The authors' vgg16d keys (REFERENCE.md's VGG16-d table) at their PyTorch shapes. */
    private static Map<String, long[]> vgg16Backbone() {
        Map<String, long[]> out = new LinkedHashMap<>();
        int[][] widths = {{1, 2, 3, 64}, {2, 2, 64, 128}, {3, 3, 128, 256}, {4, 3, 256, 512}, {5, 3, 512, 512}};
        for (int[] w : widths) {
            for (int i = 1; i <= w[1]; i++) {
                out.put("conv" + w[0] + "_" + i + ".weight", new long[] {w[3], i == 1 ? w[2] : w[3], 3, 3});
                out.put("conv" + w[0] + "_" + i + ".bias", new long[] {w[3]});
            }
        }
        out.put("fc6.weight", new long[] {1024, 512, 3, 3});
        out.put("fc6.bias", new long[] {1024});
        out.put("fc7.weight", new long[] {1024, 1024, 1, 1});
        out.put("fc7.bias", new long[] {1024});
        return out;
    }

    private static Map<String, long[]> with(Map<String, long[]> base, Map<String, long[]> more) {
        Map<String, long[]> out = new LinkedHashMap<>(base);
        out.putAll(more);
        return out;
    }

    private static long[] shape(WeightPlan p, String name) {
        return p.placed().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow().shape();
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.path(i).asLong();
        }
        return out;
    }
}
