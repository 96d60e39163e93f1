package dev.psa.data.shapes;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import dev.psa.api.ClassList;
import dev.psa.api.ImageSample;
import dev.psa.api.Names;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.spi.Dataset;

/**
 * The built-in synthetic dataset, generated on the fly (no files). Splits: {@code train}
 * ({@link ShapesConfig#trainCount()} images), {@code val} ({@link ShapesConfig#valCount()}) and
 * {@code trainval} (both). Ids are {@code train_00000}, {@code val_00000}, …
 *
 * <p>The {@link Sample#image()} and {@link Sample#mask()} paths of a shapes sample are virtual
 * ({@code <shapes>/<id>.png}); read pixels through {@link #load(Sample)}. To get real files, write
 * the dataset in the VOC layout ({@code psa data synth}).
 */
public final class ShapesDataset implements Dataset {
    /** The folder name of the virtual sample paths. */
    public static final String VIRTUAL_ROOT = "<shapes>";
    private static final List<String> SPLITS = List.of("train", "val", "trainval");

    private final ShapesGenerator generator;
    private final Map<String, List<Sample>> cache = new ConcurrentHashMap<>();

    public ShapesDataset(ShapesConfig config) {
        this.generator = new ShapesGenerator(requireNonNull(config, "config is null"));
    }

    public ShapesGenerator generator() {
        return generator;
    }

    @Override
    public ClassList classes() {
        return generator.classes();
    }

    @Override
    public List<String> splits() {
        return SPLITS;
    }

    @Override
    public List<Sample> samples(String split) {
        requireNonNull(split, "split is null");
        if (!SPLITS.contains(split)) {
            throw new PsaException("unknown split '" + split + "' of dataset shapes (key data.split). Available: "
                    + SPLITS + "." + Names.didYouMean(split, SPLITS));
        }
        return cache.computeIfAbsent(split, this::build);
    }

    private List<Sample> build(String split) {
        List<Sample> out = new ArrayList<>();
        if (!split.equals("val")) {
            add(out, "train", generator.config().trainCount());
        }
        if (!split.equals("train")) {
            add(out, "val", generator.config().valCount());
        }
        return List.copyOf(out);
    }

    private void add(List<Sample> out, String split, int n) {
        for (int i = 0; i < n; i++) {
            ShapesGenerator.Layout l = generator.layout(split, i);
            out.add(new Sample(l.id(), Path.of(VIRTUAL_ROOT, l.id() + ".png"),
                    Optional.of(Path.of(VIRTUAL_ROOT, "SegmentationClass", l.id() + ".png")), l.classes()));
        }
    }

    @Override
    public ImageSample load(Sample sample) {
        requireNonNull(sample, "sample is null");
        ShapesImage img = generate(sample.id());
        return new ImageSample(sample, img.image(), Optional.of(img.mask()));
    }

    /**
     * Generated images are kept (softly: the GC may drop them under memory pressure), since every
     * epoch and stage reads the same images again and generation costs more than a training step's
     * share of an image.
     */
    private final Map<String, java.lang.ref.SoftReference<ShapesImage>> images =
            new ConcurrentHashMap<>();

    /** Generates the image of an id ({@code train_00042}). */
    public ShapesImage generate(String id) {
        java.lang.ref.SoftReference<ShapesImage> ref = images.get(id);
        ShapesImage cached = ref == null ? null : ref.get();
        if (cached != null) {
            return cached;
        }
        ShapesImage made = generateUncached(id);
        images.put(id, new java.lang.ref.SoftReference<>(made));
        return made;
    }

    private ShapesImage generateUncached(String id) {
        int us = id.lastIndexOf('_');
        String split = us < 0 ? "" : id.substring(0, us);
        int index;
        try {
            index = Integer.parseInt(id.substring(us + 1));
        } catch (NumberFormatException e) {
            index = -1;
        }
        int n = split.equals("train") ? generator.config().trainCount()
                : split.equals("val") ? generator.config().valCount() : 0;
        if (index < 0 || index >= n) {
            throw new PsaException("'" + id + "' is not an image of dataset shapes: ids are train_00000.."
                    + ShapesGenerator.id("train", generator.config().trainCount() - 1) + " and val_00000.."
                    + ShapesGenerator.id("val", Math.max(0, generator.config().valCount() - 1)));
        }
        return generator.generate(split, index);
    }
}
