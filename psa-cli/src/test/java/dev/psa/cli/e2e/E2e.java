package dev.psa.cli.e2e;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.psa.cli.commands.RunCommand;
import dev.psa.runtime.PsaRuntime;
import dev.psa.runtime.config.Settings;
import dev.psa.runtime.pipeline.Stage;

/** Shared set-up of the end-to-end tests: settings from a preset plus overrides, and an in-process run. */
final class E2e {
    private E2e() {
    }

    static Settings settings(String preset, List<String> sets) {
        return PsaRuntime.builder().preset(preset).sets(sets).build().settings();
    }

    static Map<Stage, Map<String, Object>> run(Settings s, Path dir) {
        return RunCommand.execute(s, dir, Stage.TRAIN_CLS, Stage.REPORT, false, false,
                new PrintStream(new ByteArrayOutputStream()));
    }

    static double miou(Map<Stage, Map<String, Object>> r, String stage) {
        return ((Number) r.get(Stage.EVAL).get(stage + "-miou")).doubleValue();
    }
}
