package dev.psa.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.stage.StageListener;
import dev.psa.runtime.pipeline.Stage;

/**
 * The demo pipeline run from Java through {@link PsaRuntime}, with nothing of the command line on
 * the class path (psa-runtime does not depend on psa-cli): the demo preset made small (30 shapes
 * images of 64 px, 2 + 1 + 1 epochs), every stage run, its events heard, its results returned and
 * equal to what it wrote; a second run is up to date.
 */
class EmbeddingIT {
    @TempDir
    Path tmp;

    private static final List<String> SMALL = List.of("data.shapes.count=30", "data.shapes.size=64", "cls.crop=64",
            "cls.resize-min=56", "cls.resize-max=72", "cls.epochs=2", "cls.batch-size=8", "aff.crop=64",
            "aff.head-channels=16,32,64", "aff.epochs=1", "aff.batch-size=8", "seg.crop=64", "seg.resize-min=56",
            "seg.resize-max=72", "seg.epochs=1", "seg.batch-size=8", "store.enabled=false");

    @Test
    void theDemoPipelineRunsThroughTheEmbeddingApiWithoutTheCommandLine() throws Exception {
        assertThatThrownBy(() -> Class.forName("dev.psa.cli.Main")).isInstanceOf(ClassNotFoundException.class);

        PsaRuntime psa = PsaRuntime.builder().preset("demo").sets(SMALL).build();
        assertThat(psa.discovery().warnings()).isEmpty();
        assertThat(psa.components().backbones()).containsKeys("tiny", "resnet38", "vgg16");

        List<String> events = new ArrayList<>();
        AtomicInteger progress = new AtomicInteger();
        StageListener listener = new StageListener() {
            @Override
            public void started(String stage, boolean resumed) {
                events.add("start " + stage);
            }

            @Override
            public void progress(String stage, int done, int total, String item) {
                progress.incrementAndGet();
            }

            @Override
            public void finished(String stage, double seconds, Map<String, Object> summary) {
                events.add("finish " + stage);
            }

            @Override
            public void notRun(String stage, String reason) {
                events.add("skip " + stage);
            }
        };
        Path runDir = tmp.resolve("run");
        PsaRuntime.Result r = psa.run(runDir, PsaRuntime.RunOptions.all().withListener(listener));

        List<String> expected = new ArrayList<>();
        for (Stage s : Stage.values()) {
            expected.add("start " + s.id());
            expected.add("finish " + s.id());
        }
        assertThat(events).isEqualTo(expected);
        assertThat(progress.get()).isGreaterThan(30); // per image of cams, seeds, walk and per training step
        assertThat(r.summaries()).containsOnlyKeys(Stage.values());
        assertThat(r.summaries().get(Stage.CAMS)).containsEntry("images", 24).containsEntry("failed", 0);

        ObjectMapper json = new ObjectMapper();
        JsonNode rw = json.readTree(runDir.resolve("eval/rw.json").toFile());
        assertThat(r.number(Stage.EVAL, "rw-miou")).hasValueSatisfying(
                v -> assertThat(v).isCloseTo(rw.at("/miou").asDouble(), within(1e-12)).isBetween(0.0, 1.0));
        double camBest = json.readTree(runDir.resolve("eval/cam.json").toFile()).at("/sweep/bestMiou").asDouble();
        assertThat(r.number(Stage.EVAL, "cam-miou")).hasValueSatisfying(v -> assertThat(v).isCloseTo(camBest,
                within(1e-12)));
        assertThat(runDir.resolve("report/index.html")).isRegularFile();
        assertThat(Files.list(runDir.resolve("rw")).filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(24);

        events.clear();
        PsaRuntime.Result again = psa.run(runDir, PsaRuntime.RunOptions.all().withListener(listener));
        assertThat(events).allSatisfy(e -> assertThat(e).startsWith("skip ")).hasSize(Stage.values().length);
        assertThat(again.number(Stage.EVAL, "rw-miou")).isEqualTo(r.number(Stage.EVAL, "rw-miou"));
    }
}
