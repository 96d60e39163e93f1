package dev.psa.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.io.Npy;

/**
 * Issue 16's command-line contract: the stages run from trained weights without training.
 * {@code psa cams --run DIR --set cls.weights=FILE} on a fresh folder writes a CAM for every
 * image and no {@code cls/}; {@code psa seeds --run DIR} then {@code psa walk --run DIR --set
 * aff.weights=FILE} write seeds and pseudo labels and no {@code aff/}. The same trained models as
 * psa {@code .npz} and as {@code torch.save} {@code .pth} (testdata/tinyrun-models) give identical
 * outputs; the file's SHA-256 is in run.json; {@code psa run} with {@code cls.weights} skips train-cls
 * and re-runs the CAMs when the file's content changes, as when a trained run's {@code cls/model.npz}
 * is replaced.
 */
class CheckpointInferenceIT {
    @TempDir
    Path dir;

    static Path models(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("testdata/tinyrun-models").resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new AssertionError("testdata/tinyrun-models/" + name + " not found");
    }

    private ChildPsa psa(String... args) throws Exception {
        ChildPsa c = ChildPsa.run(dir.resolve("logs"), List.of(), args);
        assertThat(c.exit()).as(String.join(" ", args) + "\n" + c.output()).isZero();
        return c;
    }

    private Path stagesFromWeights(String name, Path config, String cls, String aff) throws Exception {
        Path run = dir.resolve(name);
        psa("cams", "--run", run.toString(), "--config", config.toString(), "--set", "cls.weights=" + cls);
        assertThat(RunFiles.files(run).keySet().stream().filter(f -> f.startsWith("cam/")).count())
                .isEqualTo(TinyRun.IMAGES);
        assertThat(run.resolve("cls")).doesNotExist();
        psa("seeds", "--run", run.toString());
        ChildPsa walk = psa("walk", "--run", run.toString(), "--set", "aff.weights=" + aff);
        assertThat(walk.out()).contains("[walk] ");
        assertThat(run.resolve("aff")).doesNotExist();
        assertThat(RunFiles.files(run).keySet().stream().filter(f -> f.startsWith("rw/")).count())
                .isEqualTo(TinyRun.IMAGES);
        assertThat(RunFiles.problems(run)).isEmpty();
        return run;
    }

    @Test
    void stagesRunFromNpzAndPthWeightsWithIdenticalOutputsAndFingerprintedModels() throws Exception {
        Path config = TinyRun.config(dir, "tiny");
        Path npz = stagesFromWeights("npz", config, models("cls.npz").toString(), models("aff.npz").toString());
        Path pth = stagesFromWeights("pth", config, models("cls.pth").toString(), models("aff.pth").toString());

        Map<String, String> a = RunFiles.snapshot(npz);
        Map<String, String> b = RunFiles.snapshot(pth);
        for (String f : a.keySet()) {
            if (f.startsWith("cam/") || f.startsWith("cam-pred/") || f.startsWith("seeds/") || f.startsWith("rw/")) {
                assertThat(b.get(f)).as(f + " from .pth equals the one from .npz").isEqualTo(a.get(f));
            }
        }

        JsonNode stages = RunFiles.JSON.readTree(pth.resolve("run.json").toFile()).path("stages");
        assertThat(stages.path("train-cls").path("summary").path("sha256").asText())
                .isEqualTo(sha256(models("cls.pth")));
        assertThat(stages.path("train-aff").path("summary").path("sha256").asText())
                .isEqualTo(sha256(models("aff.pth")));

        // psa run with cls.weights: train-cls is satisfied by the file; a new content re-runs the CAMs
        Path weights = Files.copy(models("cls.npz"), dir.resolve("my_cls.npz"));
        Path fromFile = dir.resolve("from-file");
        List<String> args = List.of("run", "--config", config.toString(), "--run", fromFile.toString(), "--to", "cams",
                "--set", "cls.weights=" + weights);
        assertThat(psa(args.toArray(String[]::new)).out()).contains("[train-cls] not run: trained weights " + weights)
                .containsPattern("\\[cams\\] [0-9.]+ s: 24 images \\(24 computed");
        assertThat(psa(args.toArray(String[]::new)).out()).contains("[cams] up to date, skipped");
        assertThat(fromFile.resolve("cls")).doesNotExist();
        String fromNpz = RunFiles.snapshot(fromFile).get("cam/train_00000.npz");
        assertThat(fromNpz).isEqualTo(a.get("cam/train_00000.npz"));
        Map<String, INDArray> other = new LinkedHashMap<>(Npy.readNpz(weights));
        other.put("fc8.weight", other.get("fc8.weight").neg()); // another classifier, same file name
        Npy.writeNpz(weights, other, false);
        assertThat(psa(args.toArray(String[]::new)).out())
                .containsPattern("\\[cams\\] [0-9.]+ s: 24 images \\(24 computed");
        assertThat(RunFiles.snapshot(fromFile).get("cam/train_00000.npz")).isNotEqualTo(fromNpz);
        assertThat(RunFiles.JSON.readTree(fromFile.resolve("run.json").toFile()).path("stages").path("train-cls")
                .path("summary").path("sha256").asText()).isEqualTo(sha256(weights));

        // a trained run whose model file is replaced: its CAMs are out of date
        Path trained = dir.resolve("trained");
        psa("run", "--config", config.toString(), "--run", trained.toString(), "--to", "cams");
        ChildPsa again = psa("run", "--config", config.toString(), "--run", trained.toString(), "--to", "cams");
        assertThat(again.out()).contains("[cams] up to date, skipped");
        String camBefore = RunFiles.snapshot(trained).get("cam/train_00000.npz");
        Path model = trained.resolve("cls/model.npz");
        Map<String, INDArray> params = new LinkedHashMap<>(Npy.readNpz(model));
        params.put("fc8.weight", params.get("fc8.weight").neg()); // another classifier
        Npy.writeNpz(model, params, false);
        ChildPsa replaced = psa("run", "--config", config.toString(), "--run", trained.toString(), "--to", "cams");
        assertThat(replaced.out()).contains("[train-cls] up to date, skipped")
                .containsPattern("\\[cams\\] [0-9.]+ s: 24 images \\(24 computed");
        assertThat(RunFiles.snapshot(trained).get("cam/train_00000.npz")).isNotEqualTo(camBefore);
    }

    private static String sha256(Path f) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(f)));
    }
}
