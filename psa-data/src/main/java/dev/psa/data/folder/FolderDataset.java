package dev.psa.data.folder;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import dev.psa.api.ClassList;
import dev.psa.api.ImageSample;
import dev.psa.api.Names;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.io.Locations;
import dev.psa.api.spi.Dataset;
import dev.psa.data.internal.DatasetFiles;

/**
 * A custom dataset: a folder of images, a label list ({@code <id> <class> <class> …} per line),
 * optional masks and its own class list (see {@link FolderConfig}). Split {@code all} holds every
 * id of the label list; {@code <splits>/<name>.txt} files add named splits; any id-list file path
 * works as a split too. Ids are checked and every path is resolved inside the root.
 */
public final class FolderDataset implements Dataset {
    /** The split of every labelled image. */
    public static final String ALL = "all";

    private final Path root;
    private final FolderConfig config;
    private final ClassList classes;
    private final Map<String, Sample> byId;
    private final Map<String, List<Sample>> cache = new ConcurrentHashMap<>();

    private FolderDataset(Path root, FolderConfig config, ClassList classes, Map<String, Sample> byId) {
        this.root = root;
        this.config = config;
        this.classes = classes;
        this.byId = byId;
    }

    /**
     * Opens a custom dataset and reads its class and label lists.
     *
     * @throws PsaException naming the file and line of any problem (missing file, unknown class,
     *     unsafe or duplicate id)
     */
    public static FolderDataset open(Path root, FolderConfig config) {
        requireNonNull(root, "root is null");
        requireNonNull(config, "config is null");
        Path r = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(r)) {
            throw new PsaException(Locations.string(r) + ": dataset folder not found (key data.root)");
        }
        ClassList classes = readClasses(r, config);
        Path images = DatasetFiles.inside(r, r, config.images());
        if (!Files.isDirectory(images)) {
            throw new PsaException(images + ": image folder not found (key data.folder.images)");
        }
        Path masks = DatasetFiles.inside(r, r, config.masks());
        boolean hasMasks = !config.masks().isBlank() && Files.isDirectory(masks);
        Path labels = DatasetFiles.inside(r, r, config.labels());
        List<String> lines = DatasetFiles.readLines(labels);
        Map<String, Sample> byId = new LinkedHashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String[] t = DatasetFiles.tokens(lines.get(n));
            if (t.length == 0) {
                continue;
            }
            String id = DatasetFiles.checkId(t[0], labels, n + 1);
            if (byId.containsKey(id)) {
                throw new PsaException(labels + " line " + (n + 1) + ": image id '" + id + "' is listed twice");
            }
            TreeSet<Integer> ids = new TreeSet<>();
            for (int k = 1; k < t.length; k++) {
                int c = classes.names().indexOf(t[k]);
                if (c <= 0) {
                    throw new PsaException(labels + " line " + (n + 1) + ": unknown class name '" + t[k]
                            + "' for image " + id + "; known classes: " + classes.names().subList(1, classes.size())
                            + "." + Names.didYouMean(t[k], classes.names()));
                }
                ids.add(c);
            }
            Path image = DatasetFiles.image(r, images, id);
            Optional<Path> mask = Optional.empty();
            if (hasMasks) {
                Path m = DatasetFiles.inside(r, masks, id + ".png");
                if (Files.isRegularFile(m)) {
                    mask = Optional.of(m);
                }
            }
            byId.put(id, new Sample(id, image, mask, ids.stream().mapToInt(Integer::intValue).toArray()));
        }
        return new FolderDataset(r, config, classes, byId);
    }

    private static ClassList readClasses(Path root, FolderConfig config) {
        if (!config.classNames().isEmpty()) {
            return new ClassList(config.classNames());
        }
        Path f = DatasetFiles.inside(root, root, config.classes());
        if (!Files.isRegularFile(f)) {
            throw new PsaException(f + ": class list not found (key data.folder.classes); write one class name per"
                    + " line, background first, or set data.folder.class-names");
        }
        return DatasetFiles.readClassList(f);
    }

    public Path root() {
        return root;
    }

    @Override
    public ClassList classes() {
        return classes;
    }

    @Override
    public List<String> splits() {
        TreeSet<String> out = new TreeSet<>();
        out.add(ALL);
        if (!config.splits().isBlank()) {
            out.addAll(DatasetFiles.listSplits(DatasetFiles.inside(root, root, config.splits())));
        }
        return List.copyOf(out);
    }

    @Override
    public List<Sample> samples(String split) {
        requireNonNull(split, "split is null");
        return cache.computeIfAbsent(split, this::build);
    }

    private List<Sample> build(String split) {
        if (split.equals(ALL)) {
            return List.copyOf(byId.values());
        }
        Path list;
        if (DatasetFiles.isListFile(split)) {
            list = Locations.path(split);
        } else {
            list = DatasetFiles.inside(root, DatasetFiles.inside(root, root, config.splits()), split + ".txt");
            if (!Files.isRegularFile(list)) {
                List<String> known = splits();
                throw new PsaException("unknown split '" + split + "' (key data.split): " + list + " not found."
                        + " Available: " + known + "." + Names.didYouMean(split, known));
            }
        }
        List<String> lines = DatasetFiles.readLines(list);
        List<Sample> out = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String[] t = DatasetFiles.tokens(lines.get(n));
            if (t.length == 0) {
                continue;
            }
            String id = DatasetFiles.checkId(t[0], list, n + 1);
            Sample s = byId.get(id);
            if (s == null) {
                throw new PsaException(list + " line " + (n + 1) + ": image id '" + id + "' is not in the label list "
                        + DatasetFiles.inside(root, root, config.labels()));
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    @Override
    public ImageSample load(Sample sample) {
        requireNonNull(sample, "sample is null");
        return DatasetFiles.load(sample, classes);
    }
}
