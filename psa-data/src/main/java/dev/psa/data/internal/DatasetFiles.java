package dev.psa.data.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.ClassList;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.data.io.ImageIo;
import dev.psa.data.io.LabelPng;

/** File helpers shared by the on-disk datasets: id lists, contained paths, loading with checks. */
public final class DatasetFiles {
    /** Image extensions tried in order for {@code <id>}. */
    public static final List<String> IMAGE_EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".JPG", ".JPEG", ".PNG");

    private DatasetFiles() {
    }

    /** Whether a split argument names an id-list file rather than a split. */
    public static boolean isListFile(String split) {
        return split.contains("/") || split.contains("\\") || split.endsWith(".txt");
    }

    /**
     * Reads an id list: one id per line (the first whitespace- or comma-separated token; VOC's
     * {@code ImageSets/Main} lines {@code <id> 1} work), blank lines and {@code #} comments skipped.
     *
     * @throws PsaException naming the file (and line) when it is missing or an id is unsafe
     */
    public static List<String> readIds(Path file) {
        List<String> ids = new ArrayList<>();
        List<String> lines = readLines(file);
        for (int n = 0; n < lines.size(); n++) {
            String[] tokens = tokens(lines.get(n));
            if (tokens.length == 0) {
                continue;
            }
            ids.add(checkId(tokens[0], file, n + 1));
        }
        return ids;
    }

    /** The lines of a UTF-8 text file; errors name the file. */
    public static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new PsaException(file + ": file not found");
        } catch (IOException e) {
            throw new PsaException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Tokens of a list line: split on whitespace and commas, {@code #} starts a comment. */
    public static String[] tokens(String line) {
        int hash = line.indexOf('#');
        String t = (hash >= 0 ? line.substring(0, hash) : line).trim();
        return t.isEmpty() ? new String[0] : t.split("[\\s,]+");
    }

    /** {@link Sample#checkId} with the file and line in the message. */
    public static String checkId(String id, Path file, int line) {
        try {
            return Sample.checkId(id);
        } catch (PsaException e) {
            throw new PsaException(file + " line " + line + ": " + e.getMessage());
        }
    }

    /**
     * Resolves {@code dir/<name>} and refuses anything that would leave {@code root}.
     *
     * @throws PsaException when the result is not inside root
     */
    public static Path inside(Path root, Path dir, String name) {
        Path p = dir.resolve(name).normalize();
        if (!p.startsWith(root)) {
            throw new PsaException("refusing to read " + p + ": it is outside the dataset root " + root);
        }
        return p;
    }

    /** The first existing {@code dir/<id><ext>}, else {@code dir/<id>.jpg} (reported when loaded). */
    public static Path image(Path root, Path dir, String id) {
        for (String ext : IMAGE_EXTENSIONS) {
            Path p = inside(root, dir, id + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return inside(root, dir, id + IMAGE_EXTENSIONS.get(0));
    }

    /**
     * Loads a sample: the image, and the mask when the sample has one, checked for size and range.
     *
     * @throws PsaException naming the file: missing, corrupt, truncated, size mismatch, labels out
     *     of range
     */
    public static ImageSample load(Sample sample, ClassList classes) {
        INDArray image = ImageIo.readRgb(sample.image());
        Optional<LabelMap> mask = Optional.empty();
        if (sample.mask().isPresent()) {
            Path mf = sample.mask().get();
            LabelMap m = LabelPng.read(mf);
            if (m.height() != image.size(1) || m.width() != image.size(2)) {
                throw new PsaException(mf + ": mask is " + m.width() + "x" + m.height() + " but its image "
                        + sample.image() + " is " + image.size(2) + "x" + image.size(1));
            }
            m.validate(classes.size(), mf.toString());
            mask = Optional.of(m);
        }
        return new ImageSample(sample, image, mask);
    }

    /**
     * Reads a class list: one name per line, background first; blank lines and lines starting
     * with {@code #} are skipped.
     *
     * @throws PsaException naming the file when the list is not a valid {@link ClassList}
     */
    public static ClassList readClassList(Path file) {
        List<String> names = new ArrayList<>();
        for (String line : readLines(file)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                names.add(t);
            }
        }
        try {
            return new ClassList(names);
        } catch (IllegalArgumentException e) {
            throw new PsaException(file + ": bad class list: " + e.getMessage());
        }
    }

    /** The split names ({@code <name>.txt} files) in {@code dir}; none when it is not a folder. */
    public static Set<String> listSplits(Path dir) {
        Set<String> out = new TreeSet<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                        .forEach(n -> out.add(n.substring(0, n.length() - 4)));
            } catch (IOException e) {
                throw new PsaException(dir + ": cannot list: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
