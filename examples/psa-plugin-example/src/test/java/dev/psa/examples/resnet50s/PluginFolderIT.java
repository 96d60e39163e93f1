package dev.psa.examples.resnet50s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin jar, dropped into a plugin folder, is found by the real {@code psa} command
 * in a fresh JVM whose class path does NOT contain the plugin's classes, and is usable by name.
 */
class PluginFolderIT {
    @TempDir
    Path dir;

    private String run(Path plugins, String... args) throws Exception {
        Path ownClasses = Path.of("target", "classes").toAbsolutePath();
        Path ownTests = Path.of("target", "test-classes").toAbsolutePath();
        Path ownJar = Path.of(System.getProperty("plugin.jar")).toAbsolutePath();
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !Path.of(e).toAbsolutePath().equals(ownClasses) && !Path.of(e).toAbsolutePath().equals(ownTests)
                        && !Path.of(e).toAbsolutePath().equals(ownJar))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", cp, "dev.psa.cli.Main", "--plugins", plugins.toString()));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void psaPluginsListsTheJarsBackboneAndConfigAcceptsItByName() throws Exception {
        Path jar = Path.of(System.getProperty("plugin.jar"));
        assertThat(jar).exists();
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        String out = run(plugins, "plugins");
        assertThat(out).containsPattern("backbone\\s+resnet50s\\s+.*ResNet50sBackboneProvider\\s+.*"
                + jar.getFileName().toString().replace(".", "\\."));
        assertThat(out).contains("tiny").doesNotContain("warning");
        String check = run(plugins, "--set", "backbone.name=resnet50s", "config", "show");
        assertThat(check).containsPattern("backbone\\.name\\s+=\\s+resnet50s");
    }
}
