package dev.psa.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psa.api.stage.StageListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.google.inject.Guice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.runtime.config.Section;
import dev.psa.runtime.config.Settings;
import dev.psa.runtime.discovery.Components;
import dev.psa.runtime.discovery.Discovery;
import dev.psa.runtime.discovery.DiscoveryModule;

class PipelineTest {
    record Keys(int epochs, double beta) {
        static Keys from(ComponentConfig root) {
            return new Keys(root.getInt("cls.epochs", 15), root.getDouble("rw.beta", 8));
        }
    }

    @TempDir
    Path dir;

    private final List<String> ran = new ArrayList<>();

    private Settings settings(String... sets) {
        Map<String, ComponentConfig.Value> v = new java.util.LinkedHashMap<>();
        for (String s : sets) {
            String[] kv = s.split("=");
            v.put(kv[0], new ComponentConfig.Value(kv[1], "--set"));
        }
        Components c = Guice.createInjector(new DiscoveryModule(Discovery.discover(getClass().getClassLoader(), null)))
                .getInstance(Components.class);
        return Settings.resolve(v, List.of(new Section<>("", Keys.class, Keys::from)), c, Set.of());
    }

    private Pipeline pipeline() {
        Map<Stage, StageExecutor> ex = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            ex.put(s, ctx -> {
                ran.add(s.id() + (ctx.resumed() ? "(resumed)" : ""));
                for (String f : s.folders()) {
                    Files.createDirectories(ctx.run().resolve(f));
                    Files.writeString(ctx.run().resolve(f).resolve("out.txt"), s.id());
                }
                return Map.of("items", 1);
            });
        }
        return new Pipeline(ex);
    }

    private void runAll(Settings s) {
        pipeline().run(s, new RunFolder(dir), Stage.TRAIN_CLS, Stage.REPORT, false, false,
                StageListener.NONE);
    }

    @Test
    void secondRunSkipsEverythingAndAChangedKeyRerunsOnlyDependentStages() throws Exception {
        runAll(settings());
        assertThat(ran).hasSize(Stage.values().length);
        ran.clear();
        runAll(settings());
        assertThat(ran).isEmpty();
        Files.writeString(dir.resolve("rw/extra.txt"), "stale");
        runAll(settings("rw.beta=16"));
        assertThat(ran).containsExactly("walk", "train-seg", "seg", "eval", "report");
        assertThat(dir.resolve("rw/extra.txt")).doesNotExist();
        assertThat(dir.resolve("cls/out.txt")).exists();
        ran.clear();
        runAll(settings("rw.beta=16", "cls.epochs=3"));
        assertThat(ran).hasSize(Stage.values().length);
        assertThat(Files.readString(dir.resolve("run.json"))).contains("\"cls.epochs\" : \"3\"").contains("\"walk\"");
    }

    @Test
    void theListenerHearsEveryStageStartFinishOrSkip() {
        List<String> events = new java.util.ArrayList<>();
        StageListener l = new StageListener() {
            @Override
            public void started(String stage, boolean resumed) {
                events.add("start " + stage + (resumed ? " resumed" : ""));
            }

            @Override
            public void finished(String stage, double seconds, Map<String, Object> summary) {
                events.add("finish " + stage + " " + summary);
            }

            @Override
            public void notRun(String stage, String reason) {
                events.add("skip " + stage + ": " + reason);
            }
        };
        Settings s = settings();
        pipeline().run(s, new RunFolder(dir), Stage.TRAIN_CLS, Stage.SEEDS, false, false, l);
        assertThat(events).containsExactly("start train-cls", "finish train-cls {items=1}", "start cams",
                "finish cams {items=1}", "start seeds", "finish seeds {items=1}");
        events.clear();
        pipeline().run(s, new RunFolder(dir), Stage.TRAIN_CLS, Stage.CAMS, false, false, l);
        assertThat(events).containsExactly("skip train-cls: " + Pipeline.UP_TO_DATE, "skip cams: " + Pipeline.UP_TO_DATE);
    }

    @Test
    void interruptedStageResumesWithItsOutputsKept() throws Exception {
        RunFolder run = new RunFolder(dir);
        Settings s = settings();
        Map<Stage, StageExecutor> ex = new EnumMap<>(Stage.class);
        ex.put(Stage.TRAIN_CLS, ctx -> {
            Files.createDirectories(ctx.run().resolve("cls"));
            Files.writeString(ctx.run().resolve("cls/partial.txt"), "x");
            throw new IllegalStateException("killed");
        });
        assertThatThrownBy(() -> new Pipeline(ex).run(s, run, Stage.TRAIN_CLS, Stage.TRAIN_CLS, false, false,
                StageListener.NONE)).isInstanceOf(PsaException.class).hasMessageContaining("killed");
        assertThat(dir.resolve("cls/partial.txt")).exists();
        pipeline().run(s, run, Stage.TRAIN_CLS, Stage.TRAIN_CLS, false, false, StageListener.NONE);
        assertThat(ran).containsExactly("train-cls(resumed)");
        assertThat(dir.resolve("cls/partial.txt")).exists();
    }

    @Test
    void laterStageNeedsCompleteEarlierStages() {
        assertThatThrownBy(() -> pipeline().run(settings(), new RunFolder(dir), Stage.WALK, Stage.WALK, false, false,
                StageListener.NONE)).hasMessageContaining("stage train-cls is not complete");
    }

    @Test
    void failuresAreRecordedOrThrownWithFailFast() {
        Failures f = new Failures(dir.resolve("failures.json"), false);
        f.record("cams", "img1", "corrupt JPEG");
        assertThat(new Failures(dir.resolve("failures.json"), false).of("cams")).singleElement()
                .extracting(Failures.Failure::reason).isEqualTo("corrupt JPEG");
        Failures strict = new Failures(dir.resolve("f2.json"), true);
        assertThatThrownBy(() -> strict.record("cams", "img1", "corrupt")).hasMessageContaining("--fail-fast");
    }

    @Test
    void aRetriedItemIsListedOnceAndARerunStageForgetsItsSubSteps() {
        Failures f = new Failures(dir.resolve("failures.json"), false);
        f.record("walk", "img1", "no CAMs");
        f.record("walk", "img1", "no CAMs");
        f.record("eval-rw", "img2", "prediction not found");
        f.record("eval-cam", "img2", "CAM file not found");
        f.record("evaluation", "img3", "kept: another stage");
        assertThat(f.of("walk")).hasSize(1);
        f.clear("eval");
        assertThat(new Failures(dir.resolve("failures.json"), false).all()).extracting(Failures.Failure::stage)
                .containsExactly("walk", "evaluation");
    }

    @Test
    void aRunTakesItsFolderAloneAndDeletesTemporariesAKilledRunLeft() throws Exception {
        RunFolder run = new RunFolder(dir);
        Files.createDirectories(dir.resolve("cam"));
        Path left = Files.createTempFile(dir.resolve("cam"), ".img1.npz", ".tmp");
        Files.writeString(dir.resolve("cam/img0.npz"), "complete");
        try (AutoCloseable lock = run.lock()) {
            assertThat(left).doesNotExist();
            assertThat(dir.resolve("cam/img0.npz")).exists();
            assertThatThrownBy(() -> pipeline().run(settings(), new RunFolder(dir), Stage.TRAIN_CLS, Stage.REPORT,
                    false, false, StageListener.NONE))
                    .isInstanceOf(PsaException.class)
                    .hasMessage("run folder " + dir.toAbsolutePath() + " is in use by another psa process ("
                            + dir.toAbsolutePath().resolve(RunFolder.LOCK) + " is locked); wait for it to end or"
                            + " choose another --run folder");
        }
        assertThat(ran).isEmpty();
        runAll(settings());
        assertThat(ran).hasSize(Stage.values().length);
    }
}
