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

    /** The smallest resnet50s and demo data: every stage up to the walk runs on the plugin's backbone. */
    private static final String[] SMALL = {"--preset", "demo", "--set", "backbone.name=resnet50s",
        "--set", "backbone.resnet50s.base-width=8", "--set", "backbone.resnet50s.blocks=1,1,1,1",
        "--set", "data.shapes.count=30", "--set", "data.shapes.size=64", "--set", "cls.crop=64",
        "--set", "cls.resize-min=56", "--set", "cls.resize-max=72", "--set", "cls.epochs=1",
        "--set", "cls.batch-size=8", "--set", "aff.crop=64", "--set", "aff.head-channels=16,32,64",
        "--set", "aff.epochs=1", "--set", "aff.batch-size=8", "--set", "store.enabled=false"};

    @Test
    void thePluginBackboneRunsThroughTrainAffAndWalkAndTakesImportedWeights() throws Exception {
        Path jar = Path.of(System.getProperty("plugin.jar"));
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        Path runDir = dir.resolve("run");
        List<String> args = new java.util.ArrayList<>(List.of(SMALL));
        args.addAll(List.of("run", "--run", runDir.toString(), "--to", "walk"));
        String out = run(plugins, args.toArray(String[]::new));
        assertThat(out).contains("[train-aff]").contains("[walk]");
        try (var pngs = Files.list(runDir.resolve("rw"))) {
            assertThat(pngs.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(24);
        }

        // the trained AffinityNet file holds the plugin backbone's parameters and the heads:
        // psa weights inspect matches it against resnet50s (default widths), psa weights import takes it
        // for the configured resnet50s
        Path model = runDir.resolve("aff/model.npz");
        List<String> inspect = new java.util.ArrayList<>(List.of(SMALL));
        inspect.addAll(List.of("weights", "inspect", model.toString()));
        assertThat(run(plugins, inspect.toArray(String[]::new))).containsPattern("\\nf9\\.weight shape=\\[[0-9, ]+\\] dtype=float32 -> f9\\.weight")
                .containsPattern("# backbone resnet50s: ");
        Path imported = dir.resolve("imported.npz");
        List<String> imp = new java.util.ArrayList<>(List.of(SMALL));
        imp.addAll(List.of("weights", "import", "--backbone", "resnet50s", "--from", model.toString(), "--out",
                imported.toString()));
        assertThat(run(plugins, imp.toArray(String[]::new))).containsPattern("imported \\d+ resnet50s tensors");
        assertThat(imported).isRegularFile();
    }
}
