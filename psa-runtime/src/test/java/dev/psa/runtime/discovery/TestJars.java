package dev.psa.runtime.discovery;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles small Java sources and packs them into a plugin jar, as a third party would ship one. */
final class TestJars {
    private TestJars() {
    }

    /**
     * @param sources  fully qualified class name → source
     * @param services service file name → content
     */
    static Path jar(Path dir, String name, Map<String, String> sources, Map<String, String> services) throws IOException {
        Path src = Files.createTempDirectory(dir, "src");
        Path classes = Files.createTempDirectory(dir, "classes");
        for (var e : sources.entrySet()) {
            Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
        }
        if (!sources.isEmpty()) {
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            List<String> args = new java.util.ArrayList<>(List.of("-d", classes.toString(), "-cp",
                    System.getProperty("java.class.path")));
            try (Stream<Path> s = Files.walk(src)) {
                s.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
            }
            int rc = javac.run(null, null, null, args.toArray(String[]::new));
            if (rc != 0) {
                throw new IllegalStateException("javac failed for " + sources.keySet());
            }
        }
        Path jar = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
            try (Stream<Path> s = Files.walk(classes)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(p));
                    out.closeEntry();
                }
            }
            for (var e : services.entrySet()) {
                out.putNextEntry(new JarEntry("META-INF/services/" + e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Source of a walk-solver provider named {@code name}; {@code ctorThrows} makes its constructor fail. */
    static String solverSource(String pkg, String cls, String name, boolean ctorThrows) {
        return "package " + pkg + ";\n"
                + "public class " + cls + " implements dev.psa.api.spi.WalkSolverProvider {\n"
                + "  public " + cls + "() {" + (ctorThrows ? " if (true) throw new IllegalStateException(\"no licence\");" : "") + " }\n"
                + "  public String name() { return \"" + name + "\"; }\n"
                + "  public dev.psa.api.spi.WalkSolver create(dev.psa.api.config.ComponentConfig c) {\n"
                + "    return (g, s, t) -> s.dup(); }\n"
                + "}\n";
    }
}
