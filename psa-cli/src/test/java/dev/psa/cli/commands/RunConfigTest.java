package dev.psa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import dev.psa.cli.PsaCommand;
import dev.psa.runtime.config.ConfigLoader;
import dev.psa.runtime.config.Settings;
import dev.psa.runtime.pipeline.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParseResult;

/** {@code psa run --run DIR} on an existing run folder: its recorded config, unless a preset or file is given. */
class RunConfigTest {
    @TempDir
    Path dir;

    private Settings settingsOf(ByteArrayOutputStream out, String... args) {
        ParseResult r = PsaCommand.commandLine().parseArgs(args);
        RunCommand run = (RunCommand) r.subcommand().commandSpec().userObject();
        return run.settings(run.runDir, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    /** What {@code psa run --preset demo --set rw.beta=16 --run DIR} records (the values given, with sources). */
    private void recordDemoRun() {
        new RunFolder(dir).recordConfig(ConfigLoader.load("demo", null, List.of("rw.beta=16")));
    }

    @Test
    void withoutPresetOrConfigTheRecordedConfigIsUsedAndSetGoesOnTop() {
        recordDemoRun();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        Settings resumed = settingsOf(out, "run", "--run", dir.toString());
        assertThat(resumed.resolvedValues()).containsEntry("rw.beta", "16").containsEntry("backbone.name", "tiny")
                .containsEntry("threads.per-image", "1");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("config: the one recorded in " + dir + " (no --preset or --config given)");

        Settings changed = settingsOf(new ByteArrayOutputStream(), "run", "--run", dir.toString(), "--set", "rw.beta=4");
        assertThat(changed.resolvedValues()).containsEntry("rw.beta", "4").containsEntry("backbone.name", "tiny");
    }

    @Test
    void aPresetStartsFromThatPresetAloneAndANewFolderFromTheDefaults() {
        recordDemoRun();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Settings fresh = settingsOf(out, "run", "--preset", "demo", "--run", dir.toString());
        assertThat(fresh.resolvedValues()).containsEntry("rw.beta", "8.0").containsEntry("backbone.name", "tiny");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("recorded");

        Settings empty = settingsOf(out, "run", "--run", dir.resolve("new").toString());
        assertThat(empty.resolvedValues()).containsEntry("backbone.name", "resnet38");
    }
}
