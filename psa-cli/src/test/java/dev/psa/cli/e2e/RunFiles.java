package dev.psa.cli.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.psa.api.io.AtomicFiles;
import dev.psa.api.io.Npy;
import dev.psa.runtime.pipeline.RunFolder;
import dev.psa.data.io.LabelPng;

/** Checks on the files of a run folder: every file decodes, nothing half-written is left, snapshots. */
final class RunFiles {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Folders of a run whose PNGs are label maps. */
    private static final List<String> LABEL_FOLDERS = List.of("cam-pred", "seeds", "rw", "seg");

    private RunFiles() {
    }

    /** Relative path → file, sorted. */
    static Map<String, Path> files(Path root) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'), p);
            }
        }
        return out;
    }

    /**
     * Decodes every file of a run by its kind (npz, npy, png, json, html) and returns the problems:
     * leftover temporary files of {@link AtomicFiles}, files that do not decode, unknown kinds (text files such as
     * seg/classes.txt must not be empty).
     */
    static List<String> problems(Path root) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Path> e : files(root).entrySet()) {
            String rel = e.getKey();
            Path f = e.getValue();
            String name = f.getFileName().toString();
            try {
                if (AtomicFiles.isTemporary(f)) {
                    problems.add(rel + ": leftover temporary file");
                } else if (name.equals(RunFolder.LOCK)) {
                    continue;
                } else if (name.endsWith(".npz")) {
                    if (Npy.readNpz(f).isEmpty()) {
                        problems.add(rel + ": no arrays");
                    }
                } else if (name.endsWith(".npy")) {
                    Npy.read(f);
                } else if (name.endsWith(".png")) {
                    if (ImageIO.read(f.toFile()) == null) {
                        problems.add(rel + ": not a PNG");
                    } else if (LABEL_FOLDERS.contains(rel.substring(0, Math.max(0, rel.indexOf('/'))))) {
                        LabelPng.read(f);
                    }
                } else if (name.endsWith(".json")) {
                    JSON.readTree(f.toFile());
                } else if (rel.equals(LOG)) {
                    continue;
                } else if (name.endsWith(".txt")) {
                    if (Files.readString(f, StandardCharsets.UTF_8).isBlank()) {
                        problems.add(rel + ": empty text file");
                    }
                } else if (name.endsWith(".html")) {
                    if (!Files.readString(f, StandardCharsets.UTF_8).strip().endsWith("</html>")) {
                        problems.add(rel + ": HTML without its end");
                    }
                } else {
                    problems.add(rel + ": unexpected file");
                }
            } catch (IOException | RuntimeException ex) {
                problems.add(rel + ": does not decode: " + ex.getMessage());
            }
        }
        return problems;
    }

    /** The run's log, which every command on the folder appends to (left out of snapshots). */
    static final String LOG = "logs/psa.log";

    /** Relative path → SHA-256 of every file but the log. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, Path> e : files(root).entrySet()) {
            if (e.getKey().equals(LOG)) {
                continue;
            }
            out.put(e.getKey(), sha256(Files.readAllBytes(e.getValue())));
        }
        return out;
    }

    /** The eval stage's summary in run.json ({@code cam-miou}, {@code seeds-miou}, {@code rw-miou}, fractions). */
    static JsonNode evalSummary(Path root) throws IOException {
        return JSON.readTree(root.resolve("run.json").toFile()).path("stages").path("eval").path("summary");
    }

    /** Copies a folder tree. */
    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
