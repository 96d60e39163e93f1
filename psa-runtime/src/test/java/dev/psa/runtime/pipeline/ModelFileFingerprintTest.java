package dev.psa.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psa.api.stage.StageListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Guice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.runtime.config.PipelineConfig;
import dev.psa.runtime.config.Section;
import dev.psa.runtime.config.Settings;
import dev.psa.runtime.discovery.Components;
import dev.psa.runtime.discovery.Discovery;
import dev.psa.runtime.discovery.DiscoveryModule;

/**
 * Model files are inputs of the stages that read them (issue 16): {@code cls.weights} /
 * {@code aff.weights} replace train-cls / train-aff (nothing runs, no {@code cls/} or {@code aff/},
 * the SHA-256 in run.json); a replaced {@code cls/model.npz}, {@code aff/model.npz}, weights file or
 * {@code backbone.weights} file re-runs exactly the stages that depend on it. Stages are fakes that
 * write one file per folder; only the runner's decisions are under test.
 */
class ModelFileFingerprintTest {
    /** Keys the fake stages "read", so the config has keys under the stages' prefixes. */
    record Keys(String split, int epochs, int radius, double beta) {
        static Keys from(ComponentConfig root) {
            return new Keys(root.getString("data.split", "train"), root.getInt("cls.epochs", 15),
                    root.getInt("aff.radius", 5), root.getDouble("rw.beta", 8));
        }
    }

    @TempDir
    Path dir;

    private Path run;
    private final List<String> ran = new ArrayList<>();
    private Components components;

    @BeforeEach
    void setUp() {
        run = dir.resolve("run");
        components = Guice.createInjector(new DiscoveryModule(Discovery.discover(getClass().getClassLoader(), null)))
                .getInstance(Components.class);
    }

    private Settings settings(String... sets) {
        Map<String, ComponentConfig.Value> v = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            v.put(s.substring(0, eq), new ComponentConfig.Value(s.substring(eq + 1), "--set"));
        }
        return Settings.resolve(v, List.of(new Section<>("", PipelineConfig.class, PipelineConfig::from),
                new Section<>("", Keys.class, Keys::from)), components, Set.of());
    }

    /** Fake stages: each writes {@code out.txt} into its folders; the trainings write their model file. */
    private Pipeline pipeline() {
        Map<Stage, StageExecutor> ex = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            ex.put(s, ctx -> {
                ran.add(s.id());
                for (String f : s.folders()) {
                    Files.createDirectories(ctx.run().resolve(f));
                    Files.writeString(ctx.run().resolve(f).resolve("out.txt"), s.id());
                }
                if (s == Stage.TRAIN_CLS || s == Stage.TRAIN_AFF) {
                    Files.writeString(ctx.run().resolve(s.folders().get(0)).resolve("model.npz"), "trained " + s.id());
                }
                return Map.of("items", 1);
            });
        }
        return new Pipeline(ex);
    }

    private List<String> runAll(String... sets) {
        ran.clear();
        pipeline().run(settings(sets), new RunFolder(run), Stage.TRAIN_CLS, Stage.REPORT, false, false,
                StageListener.NONE);
        return List.copyOf(ran);
    }

    private Path file(String name, String content) throws Exception {
        Path f = dir.resolve("models").resolve(name);
        Files.createDirectories(f.getParent());
        return Files.writeString(f, content);
    }

    private JsonNode runJson() throws Exception {
        return new ObjectMapper().readTree(run.resolve("run.json").toFile());
    }

    private static String sha256(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void clsWeightsReplaceTrainClsAndTheFileContentNotItsPathDecidesWhatReruns() throws Exception {
        Path weights = file("res38_cls.pth", "classifier A");
        String key = "cls.weights=" + weights;

        assertThat(runAll(key)).containsExactly("cams", "seeds", "train-aff", "walk", "train-seg", "seg", "eval", "report");
        assertThat(run.resolve("cls")).doesNotExist();
        assertThat(run.resolve("state/train-cls.json")).doesNotExist();
        JsonNode trainCls = runJson().path("stages").path("train-cls");
        assertThat(trainCls.path("summary").path("sha256").asText()).isEqualTo(sha256("classifier A"));
        assertThat(trainCls.path("summary").path("weights").asText()).isEqualTo(weights.toAbsolutePath().toString());
        String fingerprintA = trainCls.path("fingerprint").asText();

        assertThat(runAll(key)).isEmpty();
        // training-only keys do not matter when nothing is trained
        assertThat(runAll(key, "cls.epochs=3")).isEmpty();
        // the same content elsewhere is the same classifier
        Path copy = Files.copy(weights, dir.resolve("elsewhere.pth"));
        assertThat(runAll("cls.weights=" + copy)).isEmpty();

        Files.writeString(weights, "classifier B");
        assertThat(runAll(key)).containsExactly("cams", "seeds", "train-aff", "walk", "train-seg", "seg", "eval", "report");
        trainCls = runJson().path("stages").path("train-cls");
        assertThat(trainCls.path("summary").path("sha256").asText()).isEqualTo(sha256("classifier B"));
        assertThat(trainCls.path("fingerprint").asText()).isNotEqualTo(fingerprintA);
        assertThat(run.resolve("cls")).doesNotExist();

        // the images the classifier runs on still count
        assertThat(runAll(key, "data.split=val")).containsExactly("cams", "seeds", "train-aff", "walk", "train-seg",
                "seg", "eval", "report");
    }

    @Test
    void affWeightsReplaceTrainAffAndAReplacedFileRerunsTheWalkOnly() throws Exception {
        Path weights = file("res38_aff.pth", "affinity A");
        String key = "aff.weights=" + weights;

        assertThat(runAll(key)).containsExactly("train-cls", "cams", "seeds", "walk", "train-seg", "seg", "eval",
                "report");
        assertThat(run.resolve("aff")).doesNotExist();
        assertThat(runJson().path("stages").path("train-aff").path("summary").path("sha256").asText())
                .isEqualTo(sha256("affinity A"));

        Files.writeString(weights, "affinity B");
        assertThat(runAll(key)).containsExactly("walk", "train-seg", "seg", "eval", "report");
        // an aff. key the network is built from counts; the walk's rw.radius must follow it in a real config
        assertThat(runAll(key, "aff.radius=4")).containsExactly("walk", "train-seg", "seg", "eval", "report");
        assertThat(run.resolve("aff")).doesNotExist();
    }

    @Test
    void replacedModelFilesOfATrainedRunRerunTheStagesThatReadThem() throws Exception {
        assertThat(runAll()).hasSize(Stage.values().length);
        assertThat(runAll()).isEmpty();

        Files.writeString(run.resolve("cls/model.npz"), "another classifier");
        assertThat(runAll()).containsExactly("cams", "seeds", "train-aff", "walk", "train-seg", "seg", "eval", "report");
        assertThat(run.resolve("cls/out.txt")).exists();

        Files.writeString(run.resolve("aff/model.npz"), "another AffinityNet");
        assertThat(runAll()).containsExactly("walk", "train-seg", "seg", "eval", "report");
        assertThat(runAll()).isEmpty();
    }

    @Test
    void backboneWeightsAreAnInputOfBothTrainingsButNotOfTrainedFiles() throws Exception {
        Path imagenet = file("res38.npz", "imagenet A");
        String key = "backbone.weights=" + imagenet;
        assertThat(runAll(key)).hasSize(Stage.values().length);
        Files.writeString(imagenet, "imagenet B");
        assertThat(runAll(key)).hasSize(Stage.values().length);

        // with both trained files given, only the segmentation network (seg.init = imagenet) reads them
        Path cls = file("cls.pth", "classifier");
        Path aff = file("aff.pth", "affinity");
        List<String> trained = List.of("cls.weights=" + cls, "aff.weights=" + aff);
        List<String> withImagenet = new ArrayList<>(trained);
        withImagenet.add(key);
        assertThat(runAll(trained.toArray(String[]::new))).containsExactly("cams", "seeds", "walk", "train-seg", "seg",
                "eval", "report");
        assertThat(runAll(withImagenet.toArray(String[]::new))).containsExactly("train-seg", "seg", "eval", "report");
        Files.writeString(imagenet, "imagenet C");
        assertThat(runAll(withImagenet.toArray(String[]::new))).containsExactly("train-seg", "seg", "eval", "report");
        assertThat(runAll(withImagenet.toArray(String[]::new))).isEmpty();
    }

    @Test
    void aMissingWeightsFileNamesTheKeyAndTheFileBeforeAnythingRuns() {
        Path missing = dir.resolve("models/res38_cls.pth");
        assertThatThrownBy(() -> runAll("cls.weights=" + missing))
                .isInstanceOf(PsaException.class)
                .hasMessageContaining("cls.weights")
                .hasMessageContaining(missing.toAbsolutePath().toString())
                .hasMessageContaining("--set cls.weights=FILE");
        assertThat(ran).isEmpty();
        assertThat(run.resolve("cls")).doesNotExist();
        assertThat(run.resolve("cam")).doesNotExist();
    }
}
