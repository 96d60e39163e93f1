package dev.psa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import dev.psa.cli.PsaCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/** {@code --run} as text: a plain path as always, {@code file://} a local path, {@code hdfs://} a path on HDFS. */
class RunOptionTest {
    private static Path runOf(String... args) {
        ParseResult r = PsaCommand.commandLine().parseArgs(args);
        Object cmd = r.subcommand().commandSpec().userObject();
        return cmd instanceof RunCommand run ? run.runDir : ((StageCommands.Base) cmd).runDir;
    }

    @Test
    void plainAndFileUriRunFoldersAreLocal() {
        assertThat(runOf("cams", "--run", "runs/a")).isEqualTo(Path.of("runs/a"));
        assertThat(runOf("run", "--run", "file:///tmp/psa/a")).isEqualTo(Path.of("/tmp/psa/a"));
        assertThat(runOf("cams", "--run", "file:///tmp/psa/a").getFileSystem()).isSameAs(FileSystems.getDefault());
    }

    @Test
    void anHdfsRunFolderIsAPathOfTheHadoopProvider() {
        Path p = runOf("cams", "--run", "hdfs://localhost:8020/runs/a");
        assertThat(p.getFileSystem()).isNotSameAs(FileSystems.getDefault());
        assertThat(p.getFileSystem().provider().getScheme()).isEqualTo("hdfs");
        assertThat(p.toUri()).isEqualTo(URI.create("hdfs://localhost:8020/runs/a"));
        assertThat(p.resolve("cam").toUri()).isEqualTo(URI.create("hdfs://localhost:8020/runs/a/cam"));
    }
}
