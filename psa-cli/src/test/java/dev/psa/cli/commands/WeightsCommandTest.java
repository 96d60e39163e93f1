package dev.psa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.io.Npy;
import dev.psa.cli.Main;

/** The command-line contract of {@code psa weights inspect} and {@code psa weights import} (issue 16). */
class WeightsCommandTest {
    @TempDir
    Path dir;

    /** Exit code, stdout, stderr of one in-process {@code psa} call. */
    record Result(int exit, String out, String err) {
    }

    static Result psa(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** A file of the repository, found walking up from the working directory. */
    static Path repoFile(String rel) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(rel))) {
                return p.resolve(rel);
            }
        }
        throw new AssertionError(rel + " not found above " + Path.of("").toAbsolutePath());
    }

    static Path fixture(String name) {
        return repoFile("psa-backbones/src/test/resources/torch-fixtures/" + name);
    }

    /**
     * Every torch fixture, zip and legacy: exit 0 and one contract line per tensor, in file order,
     * with the shape and dtype torch.load reports (expected.json) and the psa name.
     */
    @Test
    void inspectPrintsOneLinePerTensorWithItsPsaName() throws Exception {
        JsonNode files = new ObjectMapper().readTree(fixture("expected.json").toFile()).path("files");
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            Result r = psa("weights", "inspect", fixture(f.getKey()).toString());
            assertThat(r.exit()).as(f.getKey() + ": " + r.err()).isZero();
            List<String> lines = r.out().lines().filter(l -> !l.startsWith("#")).toList();
            List<String> expected = new ArrayList<>();
            f.getValue().path("tensors").fields().forEachRemaining(t -> {
                String key = t.getKey();
                String name = key.startsWith("module.") ? key.substring(7) : key;
                List<String> shape = new ArrayList<>();
                t.getValue().path("shape").forEach(d -> shape.add(d.asText()));
                expected.add(key + " shape=[" + String.join(", ", shape) + "] dtype=" + t.getValue().path("dtype").asText()
                        + " -> " + (key.endsWith(".num_batches_tracked") ? "unmapped" : name));
            });
            assertThat(lines).as(f.getKey()).containsExactlyElementsOf(expected);
        }
        Result vgg = psa("weights", "inspect", fixture("vgg16_aff_legacy.pth").toString());
        assertThat(vgg.out()).contains("gn8_5.weight shape=[8] dtype=float32 -> gn8_5.weight\n",
                "# format: PyTorch checkpoint (legacy pickle)");
        Result wrapped = psa("weights", "inspect", fixture("resnet38_aff_wrapped.pth").toString());
        assertThat(wrapped.out()).contains("# format: PyTorch checkpoint (zip), state_dict wrapped in a dict with [epoch]");
    }

    @Test
    void importExitsZeroWhenEveryKeyIsPlacedAndTwoListingEachKeyOtherwise() throws Exception {
        Path tiny = repoFile("psa-backbones/src/test/resources/weights/tiny_state_dict.pth");
        Path out = dir.resolve("tiny.npz");
        Result ok = psa("weights", "import", "--backbone", "tiny", "--set", "backbone.tiny.stem-channels=2", "--set",
                "backbone.tiny.conv-channels=3", "--set", "backbone.tiny.channels=4", "--from", tiny.toString(), "--out",
                out.toString(), "--with-heads");
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("imported 10 tiny tensors and 1 head tensors [fc8.weight]",
                "left out: 1 key (batch-norm step counter, not a parameter)");
        assertThat(Npy.readNpz(out)).containsKey("fc8.weight").containsKey("stem1.weight").hasSize(11);

        // a VGG16 AffinityNet (GroupNorm heads) against ResNet-38: every key named, nothing written
        Path wrong = dir.resolve("wrong.npz");
        Result bad = psa("weights", "import", "--backbone", "resnet38", "--from", fixture("vgg16_aff.pth").toString(),
                "--out", wrong.toString(), "--with-heads");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("does not fit backbone resnet38").contains("nothing written")
                .contains("  unexpected: conv1_1.weight\n").contains("  unexpected: conv5_3.bias\n")
                .contains("  unexpected: gn8_3.weight (a GroupNorm of a VGG16-style AffinityNet head; resnet38's"
                        + " AffinityNet has none)")
                .contains("  wrongly shaped: f8_3.weight: file [4, 6, 1, 1], expected [c, 512, 1, 1]")
                .contains("  missing: conv1a.weight\n");
        for (String key : List.of("conv1_1.weight", "conv1_1.bias", "conv4_3.weight", "conv4_3.bias", "conv5_3.weight",
                "conv5_3.bias", "fc6.weight", "fc6.bias", "fc7.weight", "fc7.bias", "f8_3.weight", "f8_4.weight",
                "f8_5.weight", "gn8_3.weight", "gn8_3.bias", "gn8_4.weight", "gn8_4.bias", "gn8_5.weight", "gn8_5.bias")) {
            assertThat(bad.err()).as(key).containsPattern("\\n  (unexpected|wrongly shaped): " + Pattern.quote(key) + "[ :\\n]");
        }
        assertThat(wrong).doesNotExist();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).containsExactly(out);
        }
    }

    /** A file that cannot be read: exit 1, the file and the reason named, nothing written. */
    @Test
    void anUnreadableFileIsAnErrorNamingItAndNothingIsWritten() throws Exception {
        Path out = dir.resolve("o.npz");
        Result module = psa("weights", "import", "--backbone", "tiny", "--from", fixture("whole_module.pth").toString(),
                "--out", out.toString(), "--with-heads");
        assertThat(module.exit()).isEqualTo(1);
        assertThat(module.err()).contains("whole_module.pth!whole_module/data.pkl: refused to unpickle: global "
                + "'torch.nn.modules.container.Sequential' is not allowed");
        byte[] all = Files.readAllBytes(fixture("resnet38_cls_legacy.pth"));
        Path cut = dir.resolve("cut.pth");
        Files.write(cut, Arrays.copyOf(all, all.length - 100));
        Result truncated = psa("weights", "import", "--backbone", "resnet38", "--from", cut.toString(), "--out",
                out.toString());
        assertThat(truncated.exit()).isEqualTo(1);
        assertThat(truncated.err()).contains("error: " + cut + ": truncated PyTorch checkpoint: storage '");
        Result inspect = psa("weights", "inspect", cut.toString());
        assertThat(inspect.exit()).isEqualTo(1);
        assertThat(out).doesNotExist();
    }
}
