package dev.psa.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.io.AtomicFiles;

/**
 * Issue 10, a full disk or an unwritable run folder: {@code psa run} stops with exit code 1 and one
 * line {@code error: …} naming the file and the cause (a stack trace only with {@code -v}); every
 * output written before stays byte-identical, no temporary file is left, and once the problem is
 * gone the same command finishes the run.
 * <p>
 * The full disk is simulated in the production write path: with the system property
 * {@link AtomicFiles#SIMULATE_FULL_DISK} naming a folder, every {@link AtomicFiles} write under it
 * fails after 16 bytes with "No space left on device", as the OS reports it. The unwritable folder
 * is real: a regular file stands where the run needs a folder (the tests run as root, so
 * permissions would not stop a write).
 */
class WriteFailureIT {
    @TempDir
    Path dir;

    @Test
    void fullDiskAndUnwritableFoldersStopTheRunWithOneClearLineAndKeepEarlierOutputs() throws Exception {
        Path config = TinyRun.config(dir, "tiny");
        Path logs = dir.resolve("logs");
        Path base = dir.resolve("base");
        ChildPsa first = ChildPsa.run(logs, List.of(), "run", "--config", config.toString(), "--run", base.toString(),
                "--to", "train-aff");
        assertThat(first.exit()).as(first.output()).isZero();

        // 1. the disk is full from the start: the first write (run.json) fails, nothing changes
        Path full = copy(base, "full");
        Map<String, String> before = RunFiles.snapshot(full);
        ChildPsa c = psa(logs, full, full, "run", "--config", config.toString(), "--run", full.toString());
        assertOneErrorLine(c, full.resolve("run.json") + ": No space left on device");
        assertThat(RunFiles.snapshot(full)).isEqualTo(before);
        assertThat(RunFiles.problems(full)).isEmpty();

        // 2. the disk fills up when the walk writes its first pseudo label: the walk stops (it does not
        //    record every image as bad), earlier stages' outputs are untouched
        Path run = copy(base, "run");
        before = RunFiles.snapshot(run);
        String[] args = {"run", "--config", config.toString(), "--run", run.toString()};
        c = psa(logs, run, run.resolve("rw"), args);
        String line = assertOneErrorLine(c, ": No space left on device");
        assertThat(line).startsWith("error: cannot write " + run.resolve("rw") + "/").endsWith(".png: No space left on device");
        assertEarlierOutputsIntact(run, before);
        assertThat(RunFiles.JSON.readTree(run.resolve("failures.json").toFile()).size())
                .as("a full disk is not a bad image").isZero();

        // the same with -v: the stack trace too
        c = psa(logs, run, run.resolve("rw"), "-v", "run", "--config", config.toString(), "--run", run.toString());
        assertThat(c.exit()).isEqualTo(1);
        assertThat(c.err()).contains("error: cannot write " + run.resolve("rw")).contains("\tat dev.psa.");

        // 3. the walk's output folder is a file: the resumed walk stops naming it
        Files.deleteIfExists(run.resolve("rw"));
        Files.writeString(run.resolve("rw"), "in the way");
        c = psa(logs, run, null, args);
        assertOneErrorLine(c, run.resolve("rw") + " is a file, not a folder");
        assertEarlierOutputsIntact(run, before);

        // 4. the run folder itself cannot be made: a file stands where a parent folder should be
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "a file");
        c = psa(logs, blocked.resolve("run"), null, "run", "--config", config.toString(), "--run",
                blocked.resolve("run").toString());
        assertOneErrorLine(c, "run folder " + blocked.resolve("run") + " cannot be created: " + blocked
                + " is a file, not a folder");

        // the problems gone, the same command finishes the run
        Files.delete(run.resolve("rw"));
        c = psa(logs, run, null, args);
        assertThat(c.exit()).as(c.output()).isZero();
        assertEarlierOutputsIntact(run, before);
        assertThat(RunFiles.problems(run)).isEmpty();
        assertThat(RunFiles.evalSummary(run).path("rw-miou").isNumber()).isTrue();
    }

    /** {@code psa ARGS} with the disk full under {@code fullUnder} (none when null); checks no temporary file is left. */
    private static ChildPsa psa(Path logs, Path run, Path fullUnder, String... args) throws Exception {
        List<String> props = fullUnder == null ? List.of()
                : List.of("-D" + AtomicFiles.SIMULATE_FULL_DISK + "=" + fullUnder);
        ChildPsa c = ChildPsa.run(logs, props, args);
        if (Files.isDirectory(run)) {
            assertThat(RunFiles.problems(run)).as("files after " + String.join(" ", args))
                    .allMatch(p -> p.equals("rw: unexpected file") && Files.isRegularFile(run.resolve("rw")));
        }
        return c;
    }

    /**
     * Exit code 1, and standard error holds exactly one {@code error:} line, the last, containing
     * {@code text}, and no stack trace or exception class name.
     *
     * @return the error line
     */
    private static String assertOneErrorLine(ChildPsa c, String text) {
        assertThat(c.exit()).as(c.output()).isEqualTo(1);
        List<String> lines = c.err().lines().filter(l -> !l.isBlank()).toList();
        List<String> errors = lines.stream().filter(l -> l.startsWith("error:")).toList();
        assertThat(errors).as(c.output()).hasSize(1);
        assertThat(lines.get(lines.size() - 1)).as(c.output()).isEqualTo(errors.get(0)).contains(text);
        assertThat(c.err()).as(c.output()).doesNotContain("\tat ").doesNotContain("Exception");
        return errors.get(0);
    }

    /**
     * Every file of the snapshot is byte-identical, except {@code run.json} (rewritten at each start
     * with the time), whose records of the finished stages are unchanged.
     */
    private static void assertEarlierOutputsIntact(Path run, Map<String, String> before) throws Exception {
        Map<String, String> now = RunFiles.snapshot(run);
        Map<String, String> expected = new TreeMap<>(before);
        expected.remove("run.json");
        Map<String, String> kept = new TreeMap<>(now);
        kept.keySet().retainAll(expected.keySet());
        assertThat(kept).isEqualTo(expected);
        JsonNode stages = RunFiles.JSON.readTree(run.resolve("run.json").toFile()).path("stages");
        for (String stage : List.of("train-cls", "cams", "seeds", "train-aff")) {
            assertThat(stages.path(stage).path("fingerprint").asText()).as(stage + " in run.json").isNotEmpty();
        }
    }

    private Path copy(Path from, String name) throws Exception {
        Path to = dir.resolve(name);
        RunFiles.copy(from, to);
        return to;
    }
}
