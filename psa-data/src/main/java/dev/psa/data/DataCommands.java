package dev.psa.data;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.psa.data.shapes.ShapesConfig;
import dev.psa.data.shapes.ShapesGenerator;
import dev.psa.data.shapes.ShapesImage;
import dev.psa.data.voc.VocWriter;

/**
 * The logic of the {@code psa data …} commands; the CLI only parses arguments and calls these.
 */
public final class DataCommands {
    private DataCommands() {
    }

    /**
     * {@code psa data synth --out DIR --n N [--seed S]}: writes N images of the built-in shapes
     * dataset (default settings) in the VOC layout under {@code out}.
     */
    public static SynthSummary synth(Path out, int n, long seed, PrintStream log) {
        return synth(out, ShapesConfig.defaults().with(ShapesConfig.defaults().size(), n, seed), VocWriter.Format.PNG,
                log);
    }

    /**
     * Writes the images of a shapes configuration in the VOC layout: the {@code train} and
     * {@code val} splits of {@link dev.psa.data.shapes.ShapesDataset} with the same ids and pixels,
     * {@code ImageSets/Segmentation/{train,val,trainval}.txt} and {@code classes.txt}. Prints one
     * line: {@code wrote N images (train T, val V) of SxS pixels, K classes, seed S to DIR}.
     */
    public static SynthSummary synth(Path out, ShapesConfig config, VocWriter.Format format, PrintStream log) {
        requireNonNull(out, "out is null");
        requireNonNull(config, "config is null");
        requireNonNull(format, "format is null");
        requireNonNull(log, "log is null");
        ShapesGenerator gen = new ShapesGenerator(config);
        VocWriter writer = new VocWriter(out, gen.classes(), format);
        writer.writeClasses();
        List<String> train = writeSplit(gen, writer, "train", config.trainCount());
        List<String> val = writeSplit(gen, writer, "val", config.valCount());
        List<String> all = new ArrayList<>(train);
        all.addAll(val);
        writer.writeSplit("train", train);
        writer.writeSplit("val", val);
        writer.writeSplit("trainval", all);
        SynthSummary s = new SynthSummary(out, train.size(), val.size(), config.size(), gen.classes().size(),
                config.seed());
        log.println("wrote " + all.size() + " images (train " + train.size() + ", val " + val.size() + ") of "
                + config.size() + "x" + config.size() + " pixels, " + gen.classes().size() + " classes, seed "
                + config.seed() + " to " + out);
        return s;
    }

    private static List<String> writeSplit(ShapesGenerator gen, VocWriter writer, String split, int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ShapesImage img = gen.generate(split, i);
            writer.write(img.id(), img.image(), img.mask());
            ids.add(img.id());
        }
        return ids;
    }

    /** What {@link #synth} wrote. */
    public record SynthSummary(Path out, int train, int val, int size, int classes, long seed) {
    }
}
