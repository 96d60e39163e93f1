package dev.psa.eval;

import static java.util.Objects.requireNonNull;

import dev.psa.api.ClassList;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.spi.Dataset;
import dev.psa.data.io.ImageIo;
import dev.psa.data.io.LabelPng;
import dev.psa.data.voc.Voc2012Dataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where ground-truth masks (and, for the report, images) come from: a VOC-layout folder read
 * directly, or any {@link Dataset} split. Implementations are safe to call from several threads.
 */
public interface GroundTruth {
    /** The dataset, as shown in outputs (a folder or a dataset name). */
    String dataset();

    /** The split or id-list evaluated. */
    String split();

    ClassList classes();

    /** The ids of the split, in order; empty when the source has no fixed list (see {@link #vocFolder}). */
    List<String> ids();

    /**
     * @return the mask of {@code id}, or empty when the dataset has none for it
     * @throws PsaException naming the file when a mask exists but cannot be read
     */
    Optional<LabelMap> mask(String id);

    /** Whether {@code id} has a mask (cheap where the source can tell without reading it). */
    default boolean hasMask(String id) {
        return mask(id).isPresent();
    }

    /** @return the image [3, H, W] float32 RGB 0..255 of {@code id}, or empty when not available */
    Optional<INDArray> image(String id);

    /**
     * A VOC-layout root read directly: masks {@code root/<maskDir>/<id>.png}, images
     * {@code root/JPEGImages/<id>.{jpg,png}}, classes VOC (or {@code root/classes.txt}).
     *
     * @param root    the VOC2012 folder (or a VOCdevkit above it)
     * @param maskDir the mask folder name, e.g. {@code SegmentationClass}
     * @param list    an id-list file; when empty, {@link #ids()} is empty and callers choose the ids
     * @throws PsaException naming the folder / file when it is missing
     */
    static GroundTruth vocFolder(Path root, String maskDir, Optional<Path> list) {
        requireNonNull(root, "root is null");
        requireNonNull(maskDir, "maskDir is null");
        requireNonNull(list, "list is null");
        Voc2012Dataset voc = Voc2012Dataset.open(root);
        Path r = voc.root();
        Path masks = r.resolve(maskDir).normalize();
        if (!masks.startsWith(r) || !Files.isDirectory(masks)) {
            throw new PsaException(masks + ": mask folder not found (key eval.mask-dir = " + maskDir + "); the dataset"
                    + " root must hold the ground-truth PNGs there");
        }
        List<String> ids = list.map(GroundTruth::readIds).orElse(List.of());
        String split = list.map(Path::toString).orElse("all predictions with a mask in " + maskDir);
        ClassList classes = voc.classes();
        return new GroundTruth() {
            @Override
            public String dataset() {
                return r.toString();
            }

            @Override
            public String split() {
                return split;
            }

            @Override
            public ClassList classes() {
                return classes;
            }

            @Override
            public List<String> ids() {
                return ids;
            }

            @Override
            public Optional<LabelMap> mask(String id) {
                Path f = masks.resolve(Sample.checkId(id) + ".png");
                return Files.isRegularFile(f) ? Optional.of(LabelPng.read(f)) : Optional.empty();
            }

            @Override
            public boolean hasMask(String id) {
                return Files.isRegularFile(masks.resolve(Sample.checkId(id) + ".png"));
            }

            @Override
            public Optional<INDArray> image(String id) {
                for (String ext : List.of(".jpg", ".jpeg", ".png", ".JPG", ".JPEG", ".PNG")) {
                    Path f = r.resolve("JPEGImages").resolve(Sample.checkId(id) + ext);
                    if (Files.isRegularFile(f)) {
                        return Optional.of(ImageIo.readRgb(f));
                    }
                }
                return Optional.empty();
            }
        };
    }

    /**
     * A dataset split: masks from {@link Sample#mask()} files when they exist on disk, else from
     * {@link Dataset#load} (synthetic datasets have virtual paths).
     *
     * @param name  the dataset's name as shown in outputs
     * @param split a split name or id-list path, as {@link Dataset#samples} takes it
     */
    static GroundTruth of(Dataset dataset, String name, String split) {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(name, "name is null");
        requireNonNull(split, "split is null");
        Map<String, Sample> byId = new LinkedHashMap<>();
        for (Sample s : dataset.samples(split)) {
            byId.put(s.id(), s);
        }
        List<String> ids = List.copyOf(byId.keySet());
        ClassList classes = dataset.classes();
        return new GroundTruth() {
            @Override
            public String dataset() {
                return name;
            }

            @Override
            public String split() {
                return split;
            }

            @Override
            public ClassList classes() {
                return classes;
            }

            @Override
            public List<String> ids() {
                return ids;
            }

            @Override
            public Optional<LabelMap> mask(String id) {
                Sample s = byId.get(id);
                if (s == null || s.mask().isEmpty()) {
                    return Optional.empty();
                }
                Path f = s.mask().get();
                if (Files.isRegularFile(f)) {
                    return Optional.of(LabelPng.read(f));
                }
                return dataset.load(s).mask();
            }

            @Override
            public Optional<INDArray> image(String id) {
                Sample s = byId.get(id);
                if (s == null) {
                    return Optional.empty();
                }
                ImageSample loaded = dataset.load(s);
                return Optional.of(loaded.image());
            }
        };
    }

    /**
     * Reads an id list: the first token (whitespace or comma separated) of each line; blank lines
     * and {@code #} comments skipped.
     *
     * @throws PsaException naming the file (and line) when it is missing or an id is unsafe
     */
    static List<String> readIds(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PsaException(file + ": cannot read the id list: " + e.getMessage(), e);
        }
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            int hash = line.indexOf('#');
            String t = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (t.isEmpty()) {
                continue;
            }
            String id = t.split("[\\s,]+")[0];
            try {
                ids.add(Sample.checkId(id));
            } catch (PsaException e) {
                throw new PsaException(file + " line " + (n + 1) + ": " + e.getMessage());
            }
        }
        return ids;
    }
}
