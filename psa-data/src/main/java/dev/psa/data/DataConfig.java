package dev.psa.data;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.psa.api.Names;
import dev.psa.api.Sample;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.api.config.Validator;
import dev.psa.api.io.Locations;
import dev.psa.api.spi.Dataset;
import dev.psa.data.folder.FolderConfig;
import dev.psa.data.shapes.ShapesConfig;

/**
 * Which dataset a run uses (keys {@code data.*}).
 *
 * @param name   the dataset provider: {@code shapes} (built-in synthetic, default), {@code voc2012},
 *               {@code folder}, or a plugin's
 * @param root   the dataset folder (required by {@code voc2012} and {@code folder}); for
 *               {@code voc2012} the VOC2012 folder or the VOCdevkit above it
 * @param split  the split to use ({@code train}, {@code val}, {@code trainval}, {@code test},
 *               {@code train_aug}, …)
 * @param list   an id-list file; when set it replaces {@code split}
 * @param shapes the {@code data.shapes.*} settings
 * @param folder the {@code data.folder.*} settings
 */
public record DataConfig(String name, Optional<Path> root, String split, Optional<Path> list, ShapesConfig shapes,
                         FolderConfig folder) {
    public static final String PREFIX = "data.";

    public DataConfig {
        requireNonNull(name, "name is null");
        requireNonNull(root, "root is null");
        requireNonNull(split, "split is null");
        requireNonNull(list, "list is null");
        requireNonNull(shapes, "shapes is null");
        requireNonNull(folder, "folder is null");
        Validator v = new Validator(PREFIX);
        v.check(Names.isValid(name), "name", "'" + name + "' is not a dataset name ([a-z][a-z0-9_-]*)");
        v.check((!name.equals("voc2012") && !name.equals("folder")) || root.isPresent(), "root",
                "required for data.name=" + name + ": set it to the dataset folder");
        v.check(!split.isBlank() || list.isPresent(), "split", "must name a split (train, val, …) or set data.list");
        v.throwIfAny();
    }

    /** @param c the view scoped to {@code data.} */
    public static DataConfig from(ComponentConfig c) {
        List<String> problems = new ArrayList<>();
        ShapesConfig shapes = ShapesConfig.defaults();
        FolderConfig folder = FolderConfig.defaults();
        try {
            shapes = ShapesConfig.from(c.scoped("shapes."));
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        try {
            folder = FolderConfig.from(c.scoped("folder."));
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        String name = c.getString("name", "shapes");
        Optional<Path> root = location(c, "root", problems);
        String split = c.getString("split", "train");
        Optional<Path> list = location(c, "list", problems);
        try {
            DataConfig d = new DataConfig(name, root, split, list, shapes, folder);
            if (problems.isEmpty()) {
                return d;
            }
        } catch (ConfigException e) {
            // a root that failed to parse is not also "required"
            e.problems().stream().filter(p -> problems.stream().noneMatch(q -> q.startsWith(p.substring(0,
                    p.indexOf(':') + 1)))).forEach(problems::add);
        }
        throw new ConfigException(problems);
    }

    /** The built-in synthetic dataset with its defaults, split {@code train}. */
    public static DataConfig defaults() {
        return new DataConfig("shapes", Optional.empty(), "train", Optional.empty(), ShapesConfig.defaults(),
                FolderConfig.defaults());
    }

    /** What {@link Dataset#samples} is asked for: the list file when set, else the split name. */
    public String splitOrList() {
        return list.map(Path::toString).orElse(split);
    }

    /** @return the samples this config selects from a dataset */
    public List<Sample> samples(Dataset dataset) {
        return dataset.samples(splitOrList());
    }

    /**
     * A path key: a plain path, or a URI of an installed file system ({@code hdfs://nn:8020/voc},
     * with psa-hadoop), so a cluster's executors read the dataset where it lies.
     */
    private static Optional<Path> location(ComponentConfig c, String key, List<String> problems) {
        Optional<String> text = c.getOptional(key).filter(s -> !s.isBlank());
        try {
            return text.map(Locations::path);
        } catch (IllegalArgumentException e) {
            problems.add(c.prefix() + key + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
