package dev.psa.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import dev.psa.cli.output.ProgressLineAccess;

class OutputTest {
    @TempDir
    Path dir;

    @AfterEach
    void normal() {
        Output.mode(Output.Mode.NORMAL);
    }

    private static LoggingEvent event(String logger, Level level, String pattern, Object... args) {
        Logger l = (Logger) LoggerFactory.getLogger(logger);
        return new LoggingEvent(Logger.class.getName(), l, level, pattern, null, args);
    }

    @Test
    void consoleShowsPsaWarningsOncePerKindAndNoLibraryChatter() {
        ConsoleFilter f = new ConsoleFilter();
        assertThat(f.decide(event("dev.psa.cam.CamStage", Level.WARN, "image {}: {}", "a", "unreadable")))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(f.decide(event("dev.psa.cam.CamStage", Level.WARN, "image {}: {}", "b", "unreadable")))
                .as("the same kind of warning again").isEqualTo(FilterReply.DENY);
        assertThat(f.decide(event("dev.psa.cam.CamStage", Level.WARN, "{} unreadable; computing it again", "x")))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(f.decide(event("org.nd4j.imports.converters.ImportClassMapping", Level.WARN,
                "Duplicate TF op mapping found for op {}", "Pow"))).isEqualTo(FilterReply.DENY);
        assertThat(f.decide(event("dev.psa.train.Trainer", Level.INFO, "epoch {}", 1))).isEqualTo(FilterReply.DENY);

        Output.mode(Output.Mode.VERBOSE);
        assertThat(f.decide(event("dev.psa.train.Trainer", Level.INFO, "epoch {}", 1))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(f.decide(event("org.nd4j.linalg.factory.Nd4jBackend", Level.INFO, "Loaded"))).isEqualTo(FilterReply.DENY);

        Output.mode(Output.Mode.QUIET);
        assertThat(f.decide(event("dev.psa.x.Y", Level.WARN, "something new"))).isEqualTo(FilterReply.DENY);
        assertThat(f.decide(event("dev.psa.x.Y", Level.ERROR, "broken"))).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void consoleLinesAreWordsWithoutTimestamps() {
        ConsoleLayout layout = new ConsoleLayout();
        assertThat(layout.doLayout(event("dev.psa.cam.CamStage", Level.WARN, "image {}: {}", "a", "unreadable")))
                .isEqualTo("warning: image a: unreadable" + System.lineSeparator());
        Output.mode(Output.Mode.VERBOSE);
        assertThat(layout.doLayout(event("dev.psa.cam.CamStage", Level.INFO, "done")))
                .isEqualTo("INFO  CamStage - done" + System.lineSeparator());
    }

    @Test
    void runLogKeepsWhatCameBeforeTheRunFolderAndAppendsAtOnce() throws Exception {
        org.slf4j.Logger log = LoggerFactory.getLogger("dev.psa.test.RunLog");
        log.info("before the run folder is known");
        Path file = dir.resolve("run/logs/psa.log");
        assertThat(RunLogAppender.attach(file)).isTrue();
        log.info("during the run");
        LoggerFactory.getLogger("org.nd4j.Some").info("a library's note");
        String during = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(during).contains("before the run folder is known").contains("during the run")
                .contains("INFO  [main] org.nd4j.Some - a library's note");
        assertThat(during.indexOf("before the run")).isLessThan(during.indexOf("during the run"));
        RunLogAppender.detach();
        log.info("after the run");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).doesNotContain("after the run");
    }

    @Test
    void logStreamTurnsPrintedLinesIntoLogLines() throws Exception {
        Path file = dir.resolve("logs/psa.log");
        assertThat(RunLogAppender.attach(file)).isTrue();
        try (PrintStream p = LogStream.info(LoggerFactory.getLogger("dev.psa.stages"))) {
            p.println("mIoU: 78.64");
            p.print("no newline yet");
            p.flush();
        } finally {
            RunLogAppender.detach();
        }
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("dev.psa.stages - mIoU: 78.64")
                .contains("dev.psa.stages - no newline yet");
    }

    @Test
    void progressPrintsALinePerTenthWhenNotATerminalAndNothingWhenQuiet() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ProgressLineAccess.lines("cams", new PrintStream(b, true, StandardCharsets.UTF_8), 37);
        String out = b.toString(StandardCharsets.UTF_8);
        assertThat(out.lines()).hasSize(10).first().isEqualTo("  cams  10% (4/37)");
        assertThat(out.lines().toList().get(9)).isEqualTo("  cams 100% (37/37)");
        assertThat(out).doesNotContain("\u001b").doesNotContain("\r");

        ByteArrayOutputStream q = new ByteArrayOutputStream();
        ProgressLineAccess.none("cams", new PrintStream(q, true, StandardCharsets.UTF_8), 37);
        assertThat(q.size()).isZero();
    }
}
