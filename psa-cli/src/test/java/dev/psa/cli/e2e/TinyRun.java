package dev.psa.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The smallest config that runs every stage for real: 30 shapes images of 64 px (24 train), the
 * tiny backbone, 2 classifier epochs and 1 AffinityNet epoch of 3 steps each, a checkpoint after
 * every step, the demo's background powers; a segmentation network of 1 epoch (3 steps) with a
 * 16-channel LargeFOV head, segmenting the 6 val images at one scale; no results store (nothing written outside the run).
 */
final class TinyRun {
    /** Training images of the tiny run (train split of 30 shapes images). */
    static final int IMAGES = 24;

    static final List<String> KEYS = List.of(
            "backbone.name=tiny",
            "data.name=shapes",
            "data.shapes.count=30",
            "data.shapes.size=64",
            "cls.crop=64",
            "cls.resize-min=56",
            "cls.resize-max=72",
            "cls.epochs=2",
            "cls.batch-size=8",
            "cls.checkpoint-every=1",
            "aff.crop=64",
            "aff.head-channels=16,32,64",
            "aff.epochs=1",
            "aff.batch-size=8",
            "aff.checkpoint-every=1",
            "seeds.alpha-lo=40",
            "seeds.alpha-hi=256",
            "rw.alpha=256",
            "rw.beta=64",
            "seg.crop=64",
            "seg.resize-min=56",
            "seg.resize-max=72",
            "seg.epochs=1",
            "seg.batch-size=8",
            "seg.checkpoint-every=1",
            "seg.largefov.channels=16",
            "seg.largefov.dilation=2",
            "seg.scales=1.0",
            "seg.crf=false",
            "store.enabled=false");

    private TinyRun() {
    }

    /** Writes {@code dir/<name>.properties}: {@link #KEYS} with {@code extra} ({@code key=value}) replacing or added. */
    static Path config(Path dir, String name, String... extra) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String kv : KEYS) {
            String key = kv.substring(0, kv.indexOf('=') + 1);
            if (List.of(extra).stream().noneMatch(e -> e.startsWith(key))) {
                lines.add(kv);
            }
        }
        lines.addAll(List.of(extra));
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name + ".properties"), String.join("\n", lines) + "\n",
                StandardCharsets.UTF_8);
    }

    /**
     * {@code psa run --config CONFIG --run RUN} in a child JVM (output under {@code dir/logs}), which
     * must succeed: the local reference run the other engines and file systems are compared with.
     */
    static ChildPsa runLocally(Path dir, Path config, Path run) throws Exception {
        ChildPsa c = ChildPsa.run(dir.resolve("logs"), List.of(), "run", "--config", config.toString(), "--run",
                run.toString());
        assertThat(c.exit()).as(c.output()).isZero();
        return c;
    }
}
