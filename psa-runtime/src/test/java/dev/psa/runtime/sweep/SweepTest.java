package dev.psa.runtime.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import com.google.inject.Guice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.runtime.config.Section;
import dev.psa.runtime.config.Settings;
import dev.psa.runtime.discovery.Components;
import dev.psa.runtime.discovery.Discovery;
import dev.psa.runtime.discovery.DiscoveryModule;
import dev.psa.runtime.pipeline.RunFolder;
import dev.psa.runtime.pipeline.Stage;
import dev.psa.runtime.pipeline.StageExecutor;

/**
 * The sweep runner over stand-in stages that write what they read: which stages run how often for a
 * grid, what the variant folders hold, failures, resuming and growing a sweep.
 */
class SweepTest {
    /** The keys the stand-in stages read (each a key of the stage that reads it in the real pipeline). */
    record Keys(int epochs, int affRadius, int rwRadius, double beta) {
        static Keys from(ComponentConfig root) {
            return new Keys(root.getInt("cls.epochs", 15), root.getInt("aff.radius", 5), root.getInt("rw.radius", 5),
                    root.getDouble("rw.beta", 8));
        }
    }

    @TempDir
    Path dir;

    private final List<String> ran = new ArrayList<>();
    /** A stage id and a variant folder name whose run of that stage throws, if set. */
    private final AtomicReference<String> fault = new AtomicReference<>();

    private static final Components COMPONENTS = Guice.createInjector(new DiscoveryModule(
            Discovery.discover(SweepTest.class.getClassLoader(), null))).getInstance(Components.class);

    private final Function<Map<String, ComponentConfig.Value>, Settings> resolver = values -> Settings.resolve(values,
            List.of(new Section<>("", Keys.class, Keys::from)), COMPONENTS, Set.of());

    private Map<Stage, StageExecutor> stages() {
        Map<Stage, StageExecutor> ex = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            ex.put(s, ctx -> {
                String variant = ctx.run().root().getFileName().toString();
                if ((s.id() + " " + variant).equals(fault.get())) {
                    throw new PsaException("injected fault");
                }
                ran.add(s.id() + " " + variant);
                Keys k = ctx.settings().get(Keys.class);
                for (String f : s.folders()) {
                    Files.createDirectories(ctx.run().resolve(f));
                    Files.writeString(ctx.run().resolve(f).resolve("out.txt"), s.id() + " " + k);
                }
                return Map.of("items", 1);
            });
        }
        return ex;
    }

    private Sweep.Result sweep(String... grid) {
        Map<String, ComponentConfig.Value> base = new LinkedHashMap<>();
        base.put("cls.epochs", new ComponentConfig.Value("2", "--set"));
        return Sweep.run(dir.resolve("s"), "s", SweepGrid.of(base, List.of(grid)), base, false, new Sweep.Listener() {
        }, stages(), resolver);
    }

    private long count(String stage) {
        return ran.stream().filter(r -> r.startsWith(stage + " ")).count();
    }

    @Test
    void betaByRadiusTrainsTheClassifierOnceAffinityNetTwiceAndWalksSixTimes() throws Exception {
        Sweep.Result r = sweep("rw.beta=4,8,16", "rw.radius=2,3");
        assertThat(r.failed()).isEmpty();
        assertThat(count("train-cls")).isEqualTo(1);
        assertThat(count("cams")).isEqualTo(1);
        assertThat(count("seeds")).isEqualTo(1);
        assertThat(count("train-aff")).isEqualTo(2);
        assertThat(count("walk")).isEqualTo(6);
        assertThat(count("eval")).isEqualTo(6);
        assertThat(count("report")).isEqualTo(6);
        // stage by stage across the variants: all shared stages before any walk
        assertThat(ran.indexOf(ran.stream().filter(x -> x.startsWith("walk")).findFirst().orElseThrow()))
                .isEqualTo(5);

        Path s = dir.resolve("s");
        List<String> names = r.ledger().variants.stream().map(v -> v.name).toList();
        assertThat(names).containsExactly("rw.beta=4,rw.radius=2", "rw.beta=8,rw.radius=2", "rw.beta=16,rw.radius=2",
                "rw.beta=4,rw.radius=3", "rw.beta=8,rw.radius=3", "rw.beta=16,rw.radius=3");
        for (String n : names) {
            RunFolder run = new RunFolder(s.resolve(n));
            for (Stage st : Stage.values()) {
                assertThat(run.state(st)).as(n + " " + st.id()).hasValueSatisfying(x -> assertThat(x.done()).isTrue());
            }
            // the shared outputs are the same file (a hard link), the walk is the variant's own
            assertThat(Files.isSameFile(run.resolve("cls/out.txt"), s.resolve(names.get(0)).resolve("cls/out.txt")))
                    .isTrue();
            assertThat(Files.readString(run.resolve("rw/out.txt"))).contains("beta=" + Double.parseDouble(
                    n.replaceAll("rw.beta=(\\d+).*", "$1")));
            assertThat(Files.readString(run.resolve("aff/out.txt")))
                    .contains("affRadius=" + n.replaceAll(".*rw.radius=(\\d+)", "$1"));
        }
        assertThat(Files.isSameFile(s.resolve(names.get(3)).resolve("aff/out.txt"),
                s.resolve(names.get(0)).resolve("aff/out.txt"))).isFalse();
        assertThat(Files.isSameFile(s.resolve(names.get(4)).resolve("aff/out.txt"),
                s.resolve(names.get(3)).resolve("aff/out.txt"))).isTrue();
        // the ledger: one variant computed each shared stage, the others took it from the cache
        Map<String, Long> ranCount = new LinkedHashMap<>();
        for (SweepLedger.VariantRecord v : r.ledger().variants) {
            v.stages.forEach((st, how) -> ranCount.merge(st + " " + how.how, 1L, Long::sum));
        }
        assertThat(ranCount).containsEntry("train-cls ran", 1L).containsEntry("train-cls shared", 5L)
                .containsEntry("train-aff ran", 2L).containsEntry("train-aff shared", 4L)
                .containsEntry("walk ran", 6L);
        assertThat(new SweepCache(s).entries(Stage.TRAIN_AFF)).hasSize(2);

        ran.clear();
        sweep("rw.beta=4,8,16", "rw.radius=2,3");
        assertThat(ran).as("a second run of the same sweep").isEmpty();
    }

    @Test
    void aFailedVariantIsReportedTheOthersGoOnAndARerunFinishesOnlyIt() {
        fault.set("walk rw.beta=8");
        Sweep.Result r = sweep("rw.beta=4,8,16");
        assertThat(r.failed()).hasSize(1);
        assertThat(r.failed().get(0).name).isEqualTo("rw.beta=8");
        assertThat(r.failed().get(0).error).isEqualTo("walk: injected fault");
        assertThat(ran).contains("report rw.beta=4", "report rw.beta=16").doesNotContain("eval rw.beta=8");

        fault.set(null);
        ran.clear();
        Sweep.Result again = sweep("rw.beta=4,8,16");
        assertThat(again.failed()).isEmpty();
        assertThat(ran).containsExactly("walk rw.beta=8", "train-seg rw.beta=8", "seg rw.beta=8", "eval rw.beta=8",
                "report rw.beta=8");
    }

    @Test
    void aGrownGridReusesEveryStageEvenOneTheCacheLost() throws Exception {
        sweep("rw.beta=4,8");
        // a sweep killed after a variant finished a stage but before the cache kept it
        try (var s = Files.walk(dir.resolve("s").resolve(SweepCache.DIR).resolve("train-aff"))) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        ran.clear();
        sweep("rw.beta=4,8,32");
        assertThat(ran).containsExactly("walk rw.beta=32", "train-seg rw.beta=32", "seg rw.beta=32", "eval rw.beta=32",
                "report rw.beta=32");
    }

    @Test
    void everyVariantsConfigProblemIsReportedBeforeAnyStage() {
        assertThatThrownBy(() -> sweep("rw.betta=4,8")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("variant rw.betta=4: unknown key 'rw.betta' (from --grid rw.betta)")
                .hasMessageContaining("variant rw.betta=8");
        assertThat(ran).isEmpty();
    }
}
