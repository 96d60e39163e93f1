package dev.psa.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.io.AtomicFiles;

/**
 * Faults, made deterministic: {@code psa run} is halted ({@link Runtime#halt}, as abrupt as a
 * SIGKILL) by a test hook of {@link AtomicFiles} at fixed points — right after the N-th training
 * checkpoint, CAM file, pseudo label is written, and between writing a temporary file and
 * renaming it — then started again on the same folder until it ends normally. No timing window is
 * involved, so the test behaves the same on an idle and on a loaded machine. The resumed run must
 * end with exactly the files of an uninterrupted run: the same names, every array and label map
 * byte for byte, the same mIoU.
 */
class KillResumeIT {
    @TempDir
    Path dir;

    /** One halted attempt: the hook (system property and value) and a check of the folder after it. */
    private record Halt(String property, String regexAndN, String what) {
        String jvmOption() {
            return "-D" + property + "=" + regexAndN;
        }
    }

    private static Halt after(String regex, int n, String what) {
        return new Halt(AtomicFiles.HALT_AFTER_WRITE, regex + ":" + n, what);
    }

    private static Halt beforeRename(String regex, int n, String what) {
        return new Halt(AtomicFiles.HALT_BEFORE_RENAME, regex + ":" + n, what);
    }

    @Test
    void runHaltedAtEveryKindOfWriteResumesToTheFilesOfAnUninterruptedRun() throws Exception {
        Path config = TinyRun.config(dir, "tiny");
        Path logs = dir.resolve("logs");
        Path a = dir.resolve("A");
        Path b = dir.resolve("B");

        ChildPsa uninterrupted = ChildPsa.run(logs, List.of(), "run", "--config", config.toString(), "--run", a.toString());
        assertThat(uninterrupted.exit()).as(uninterrupted.output()).isZero();

        // TinyRun: classifier 6 steps, AffinityNet 3 steps and the segmentation network 3 steps, a checkpoint
        // after each; 24 images (6 val images segmented)
        List<Halt> halts = List.of(
                after("/cls/checkpoint/state\\.json$", 2, "train-cls after its 2nd checkpoint"),
                beforeRename("/cls/checkpoint/state\\.json$", 2, "train-cls between temporary and rename of a checkpoint"),
                after("/cam/[^/]+\\.npz$", 5, "cams after 5 CAM files"),
                beforeRename("/cam/[^/]+\\.npz$", 4, "cams between temporary and rename of a CAM file"),
                after("/seeds/[^/]+\\.png$", 7, "seeds after 7 seed maps"),
                after("/aff/checkpoint/state\\.json$", 1, "train-aff after its 1st checkpoint"),
                after("/rw/[^/]+\\.png$", 6, "walk after 6 pseudo labels"),
                beforeRename("/rw/[^/]+\\.png$", 3, "walk between temporary and rename of a pseudo label"),
                after("/seg/checkpoint/state\\.json$", 1, "train-seg after its 1st checkpoint"),
                after("/seg/pred/[^/]+\\.png$", 2, "seg after 2 predictions"),
                beforeRename("/report/index\\.html$", 1, "report between temporary and rename of index.html"));

        String[] args = {"run", "--config", config.toString(), "--run", b.toString()};
        StringBuilder story = new StringBuilder();
        for (Halt h : halts) {
            ChildPsa c = ChildPsa.run(logs, List.of(h.jvmOption()), args);
            assertThat(c.exit()).as("halted %s (%s)%n%s", h.what(), h.regexAndN(), c.output())
                    .isEqualTo(AtomicFiles.HALT_EXIT);
            assertThat(c.err()).contains("halted by " + h.property());
            List<String> temporaries = RunFiles.problems(b).stream()
                    .filter(p -> p.endsWith("leftover temporary file")).toList();
            List<String> broken = RunFiles.problems(b).stream()
                    .filter(p -> !p.endsWith("leftover temporary file")).toList();
            assertThat(broken).as("files right after the halt " + h.what()).isEmpty();
            if (h.property().equals(AtomicFiles.HALT_BEFORE_RENAME)) {
                assertThat(temporaries).as("the complete temporary the halt left " + h.what()).hasSize(1);
            }
            story.append(String.format("  halted %s at %.1f s: %d CAM files, %d pseudo labels%n", h.what(),
                    c.seconds(), count(b.resolve("cam"), ".npz"), count(b.resolve("rw"), ".png")));
        }
        assertThat(b.resolve("report/index.html")).doesNotExist();

        ChildPsa last = ChildPsa.run(logs, List.of(), args);
        assertThat(last.exit()).as(last.output()).isZero();
        System.out.print("kill/resume:\n" + story);

        assertThat(RunFiles.problems(b)).as("half-written or leftover files in the halted run").isEmpty();
        assertThat(RunFiles.problems(a)).isEmpty();
        Map<String, String> snapA = RunFiles.snapshot(a);
        Map<String, String> snapB = RunFiles.snapshot(b);
        assertThat(snapB.keySet()).as("same files as the uninterrupted run").isEqualTo(snapA.keySet());
        List<String> differing = new ArrayList<>();
        for (String f : snapA.keySet()) {
            if ((f.endsWith(".npz") || f.endsWith(".png") && !f.startsWith("report/")) && !snapA.get(f).equals(snapB.get(f))) {
                differing.add(f);
            }
        }
        assertThat(differing).as("models, CAMs, seeds and pseudo labels differing from the uninterrupted run").isEmpty();

        JsonNode evalA = RunFiles.evalSummary(a);
        JsonNode evalB = RunFiles.evalSummary(b);
        for (String key : List.of("cam-miou", "seeds-miou", "rw-miou", "seg-miou")) {
            assertThat(evalB.path(key).isNumber()).as(key + " in " + b).isTrue();
            assertThat(evalB.path(key).asDouble()).as(key).isEqualTo(evalA.path(key).asDouble());
        }
    }

    private static int count(Path folder, String ext) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(ext) && !AtomicFiles.isTemporary(p)).count();
        }
    }
}
