package dev.psa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void inspectPrintsOneLinePerTensorWithItsPsaName() {
        for (String f : List.of("vgg16_aff.pth", "vgg16_aff_legacy.pth", "resnet38_cls_module.pth")) {
            Result r = psa("weights", "inspect", repoFile("testdata/torch-fixtures/" + f).toString());
            assertThat(r.exit()).as(r.err()).isZero();
            List<String> tensors = r.out().lines().filter(l -> !l.startsWith("#")).toList();
            assertThat(tensors).isNotEmpty()
                    .allMatch(l -> l.matches("\\S+ shape=\\[[0-9, ]*\\] dtype=(float32|int64) -> \\S+"), "contract line");
            if (f.startsWith("vgg16_aff")) {
                assertThat(tensors).contains("gn8_5.weight shape=[8] dtype=float32 -> gn8_5.weight",
                        "conv1_1.bias shape=[4] dtype=float32 -> conv1_1.bias").hasSize(20);
            } else {
                assertThat(tensors).contains("module.fc8.weight shape=[20, 8, 1, 1] dtype=float32 -> fc8.weight",
                        "module.b2.bn_branch2a.num_batches_tracked shape=[] dtype=int64 -> unmapped");
            }
        }
    }

    @Test
    void importExitsZeroWhenEveryKeyIsPlacedAndTwoListingEachKeyOtherwise() throws Exception {
        Path tiny = repoFile("psa-backbones/src/test/resources/weights/tiny_state_dict.pth");
        Path out = dir.resolve("tiny.npz");
        Result ok = psa("weights", "import", "--backbone", "tiny", "--set", "backbone.tiny.stem-channels=2", "--set",
                "backbone.tiny.conv-channels=3", "--set", "backbone.tiny.channels=4", "--from", tiny.toString(), "--out",
                out.toString(), "--with-heads");
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(Npy.readNpz(out)).containsKey("fc8.weight").containsKey("stem1.weight");

        // a VGG16 AffinityNet (GroupNorm heads) against ResNet-38: every key named, nothing written
        Path wrong = dir.resolve("wrong.npz");
        Result bad = psa("weights", "import", "--backbone", "resnet38", "--from",
                repoFile("testdata/torch-fixtures/vgg16_aff.pth").toString(), "--out", wrong.toString(), "--with-heads");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("does not fit backbone resnet38").contains("nothing written")
                .contains("  unexpected: conv1_1.weight").contains("  unexpected: conv5_3.bias")
                .contains("  missing: conv1a.weight");
        assertThat(wrong).doesNotExist();
    }
}
