package dev.psa.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.io.Npy;

/**
 * Issue 10, faults: {@code psa run} killed with SIGKILL at random points (seeded) — in classifier
 * training, in per-image CAM inference, in AffinityNet training, in the per-image walk, and once
 * at a random time — and started again on the same folder until it ends normally, reaches the
 * same result as an uninterrupted run, with no half-written or temporary file left.
 */
class KillResumeTest {
    /** The kill points are drawn from this seed. */
    private static final long SEED = 20_240_611L;
    private static final long POLL_MILLIS = 3;

    @TempDir
    Path dir;

    /** What happened to one killed attempt. */
    private record Kill(String where, String observed, double seconds) {
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws IOException;
    }

    @Test
    void runKilledInTrainingAndInferenceResumesToTheResultOfAnUninterruptedRun() throws Exception {
        Path config = TinyRun.config(dir, "tiny");
        Path logs = dir.resolve("logs");
        Path a = dir.resolve("A");
        Path b = dir.resolve("B");

        ChildPsa uninterrupted = ChildPsa.run(logs, List.of(), "run", "--config", config.toString(), "--run", a.toString());
        assertThat(uninterrupted.exit()).as(uninterrupted.output()).isZero();
        double secondsA = uninterrupted.seconds();

        Random rnd = new Random(SEED);
        int n = TinyRun.IMAGES;
        int clsSteps = 6;
        int affSteps = 3;
        String[] args = {"run", "--config", config.toString(), "--run", b.toString()};
        List<Kill> kills = new ArrayList<>();

        int clsStep = 1 + rnd.nextInt(clsSteps - 1);
        kills.add(killWhen(logs, args, "train-cls after checkpoint step " + clsStep, rnd,
                () -> checkpointStep(b.resolve("cls")) >= clsStep && !Files.exists(b.resolve("cls/model.npz")),
                () -> "checkpoint step " + checkpointStep(b.resolve("cls")) + ", model.npz "
                        + (Files.exists(b.resolve("cls/model.npz")) ? "written" : "not written")));
        assertThat(b.resolve("cls/model.npz")).as("killed during classifier training").doesNotExist();

        int camsAt = 1 + rnd.nextInt(n - 2);
        kills.add(killWhen(logs, args, "cams after " + camsAt + " CAM files", rnd,
                () -> count(b.resolve("cam"), ".npz") >= camsAt,
                () -> count(b.resolve("cam"), ".npz") + "/" + n + " CAM files"));
        assertThat(count(b.resolve("cam"), ".npz")).as("killed during CAM inference").isBetween(1, n - 1);

        int affStep = 1 + rnd.nextInt(affSteps - 1);
        kills.add(killWhen(logs, args, "train-aff after checkpoint step " + affStep, rnd,
                () -> checkpointStep(b.resolve("aff")) >= affStep && !Files.exists(b.resolve("aff/model.npz")),
                () -> "checkpoint step " + checkpointStep(b.resolve("aff")) + ", model.npz "
                        + (Files.exists(b.resolve("aff/model.npz")) ? "written" : "not written")));
        assertThat(b.resolve("aff/model.npz")).as("killed during AffinityNet training").doesNotExist();

        int walkAt = 1 + rnd.nextInt(n - 2);
        kills.add(killWhen(logs, args, "walk after " + walkAt + " pseudo labels", rnd,
                () -> count(b.resolve("rw"), ".png") >= walkAt,
                () -> count(b.resolve("rw"), ".png") + "/" + n + " pseudo labels"));
        assertThat(count(b.resolve("rw"), ".png")).as("killed during the walk").isBetween(1, n - 1);

        // once more at a random time after the run reached its first stage (the rest of the walk, eval, report)
        long delay = rnd.nextInt(2000);
        ChildPsa timed = ChildPsa.start(logs, List.of(), args);
        while (timed.process.isAlive() && timed.out().lines().noneMatch(l -> l.startsWith("["))) {
            Thread.sleep(POLL_MILLIS);
        }
        boolean ended = timed.process.waitFor(delay, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (!ended) {
            timed.kill();
            kills.add(new Kill("at a random time (" + delay + " ms after the first stage line)", lastStage(timed),
                    timed.seconds()));
        }

        for (Kill k : kills) {
            assertThat(k.observed()).isNotEmpty();
        }
        int reruns = 0;
        ChildPsa last = ended ? timed : null;
        while (last == null || last.exit() != 0) {
            assertThat(reruns).as("runs to completion after the kills; last attempt:\n"
                    + (last == null ? "" : last.output())).isLessThan(3);
            last = ChildPsa.run(logs, List.of(), args);
            reruns++;
        }

        assertThat(RunFiles.problems(b)).as("half-written or leftover files in the killed run").isEmpty();
        assertThat(RunFiles.problems(a)).isEmpty();
        assertThat(RunFiles.files(b).keySet()).as("same files as the uninterrupted run")
                .isEqualTo(RunFiles.files(a).keySet());

        JsonNode evalA = RunFiles.evalSummary(a);
        JsonNode evalB = RunFiles.evalSummary(b);
        StringBuilder report = new StringBuilder();
        report.append(String.format("uninterrupted run %.1f s; %d kills, then %d run(s) to the end%n", secondsA,
                kills.size(), reruns));
        kills.forEach(k -> report.append(String.format("  killed %s at %.1f s (%s)%n", k.where(), k.seconds(),
                k.observed())));
        for (String key : List.of("cam-miou", "seeds-miou", "rw-miou")) {
            report.append(String.format("  %s: A %.4f, B %.4f%n", key, 100 * evalA.path(key).asDouble(),
                    100 * evalB.path(key).asDouble()));
        }
        report.append("  arrays differing from the uninterrupted run: ").append(differingArrays(a, b)).append('\n');
        System.out.print(report);

        assertThat(kills.size()).isGreaterThanOrEqualTo(4);
        for (String key : List.of("cam-miou", "rw-miou")) {
            assertThat(evalB.path(key).isNumber()).as(key + " in " + b).isTrue();
            assertThat(100 * evalB.path(key).asDouble()).as(key + "\n" + report)
                    .isCloseTo(100 * evalA.path(key).asDouble(), within(0.5));
        }
    }

    /**
     * Starts {@code psa}, kills it (SIGKILL) once {@code condition} holds and a random 0–20 ms more
     * passed, and returns what was observed; fails when the process ends before.
     */
    private static Kill killWhen(Path logs, String[] args, String where, Random rnd, Condition condition,
            java.util.concurrent.Callable<String> observe) throws Exception {
        Kill k = killWhenUnchecked(logs, args, where, rnd, condition, observe);
        Path run = Path.of(args[args.length - 1]);
        List<String> broken = RunFiles.problems(run).stream().filter(p -> !p.endsWith("leftover temporary file"))
                .toList();
        assertThat(broken).as("files right after the kill " + where).isEmpty();
        return k;
    }

    private static Kill killWhenUnchecked(Path logs, String[] args, String where, Random rnd, Condition condition,
            java.util.concurrent.Callable<String> observe) throws Exception {
        long extra = rnd.nextInt(21);
        ChildPsa c = ChildPsa.start(logs, List.of(), args);
        while (true) {
            if (!c.process.isAlive()) {
                throw new AssertionError("psa ended (exit " + c.exit() + ") before the kill point: " + where + "\n"
                        + c.output());
            }
            if (condition.holds()) {
                Thread.sleep(extra);
                c.kill();
                return new Kill(where, observe.call() + ", " + lastStage(c), c.seconds());
            }
            if (c.seconds() > 240) {
                c.kill();
                throw new AssertionError("kill point never reached: " + where + "\n" + c.output());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** The last stage line the child printed ("[cams] running"), or "before any stage". */
    private static String lastStage(ChildPsa c) {
        List<String> lines = c.out().lines().filter(l -> l.startsWith("[")).toList();
        return lines.isEmpty() ? "before any stage" : "last printed: " + lines.get(lines.size() - 1);
    }

    /** Steps of the last complete checkpoint of a training folder (0 when none). */
    private static long checkpointStep(Path stageDir) throws IOException {
        Path state = stageDir.resolve("checkpoint/state.json");
        if (!Files.isRegularFile(state)) {
            return 0;
        }
        try {
            return RunFiles.JSON.readTree(state.toFile()).path("step").asLong();
        } catch (IOException e) {
            return 0; // replaced between the check and the read
        }
    }

    private static int count(Path folder, String ext) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(ext)
                    && !p.getFileName().toString().startsWith(".")).count();
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }

    /** How many arrays of the .npz files differ between the runs, and by how much at most. */
    private static String differingArrays(Path a, Path b) throws IOException {
        int files = 0;
        int differing = 0;
        double maxDiff = 0;
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Path> e : RunFiles.files(a).entrySet()) {
            if (!e.getKey().endsWith(".npz") || !Files.exists(b.resolve(e.getKey()))) {
                continue;
            }
            files++;
            Map<String, INDArray> x = Npy.readNpz(e.getValue());
            Map<String, INDArray> y = Npy.readNpz(b.resolve(e.getKey()));
            for (Map.Entry<String, INDArray> arr : x.entrySet()) {
                INDArray other = y.get(arr.getKey());
                if (other == null || !java.util.Arrays.equals(other.shape(), arr.getValue().shape())) {
                    differing++;
                    names.add(e.getKey() + ":" + arr.getKey() + " (shape)");
                } else {
                    double d = other.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                            .sub(arr.getValue().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE))
                            .amaxNumber().doubleValue();
                    if (d == 0) {
                        continue;
                    }
                    differing++;
                    maxDiff = Math.max(maxDiff, d);
                    if (names.size() < 5) {
                        names.add(e.getKey() + ":" + arr.getKey());
                    }
                }
            }
        }
        return differing + " in " + files + " npz files" + (differing == 0 ? "" : ", max |diff| " + maxDiff + " "
                + names);
    }
}
