package dev.psa.spark;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import dev.psa.api.CamSet;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.Sample;
import dev.psa.api.stage.StageListener;
import dev.psa.data.io.CamFiles;
import dev.psa.data.io.ImageIo;
import dev.psa.data.io.LabelPng;
import dev.psa.data.shapes.ShapesConfig;
import dev.psa.data.shapes.ShapesDataset;
import dev.psa.runtime.PsaRuntime;
import dev.psa.runtime.pipeline.Stage;

/**
 * The smallest config that runs every stage for real (the demo preset made small, as psa-cli's
 * end-to-end tests do), on a {@code folder} dataset written from the shapes generator so a test
 * can break one image file between stages.
 */
final class SparkDemoData {
    /** Images of the dataset. */
    static final int IMAGES = 28;

    private SparkDemoData() {
    }

    /** Every stage from train-cls through eval into {@code run} on the local engine: the run the Spark ones are compared with. */
    static PsaRuntime.Result runLocally(Path run, List<String> keys) {
        return PsaRuntime.builder().preset("demo").sets(keys).build().run(run,
                new PsaRuntime.RunOptions(Stage.TRAIN_CLS, Stage.EVAL, false, false, StageListener.NONE));
    }

    /** The config keys (a {@code folder} dataset at {@code root}, every image in split {@code all}, segmented too). */
    static List<String> keys(Path root) {
        return List.of("data.name=folder", "data.root=" + root, "data.split=all", "cls.val-split=",
                "backbone.name=tiny", "cls.crop=64", "cls.resize-min=56", "cls.resize-max=72", "cls.epochs=2",
                "cls.batch-size=8", "cam.scales=0.5,1.0", "aff.crop=64", "aff.head-channels=16,32,64", "aff.epochs=1",
                "aff.batch-size=8", "aff.radius=2", "rw.radius=2", "seeds.alpha-lo=40", "seeds.alpha-hi=256",
                "rw.alpha=256", "rw.beta=8", "store.enabled=false",
                // the segmentation stages on the same images, small: 1 epoch, a 16-channel head, no CRF
                "seg.split=all", "seg.crop=64", "seg.resize-min=56", "seg.resize-max=72", "seg.epochs=1",
                "seg.batch-size=8", "seg.largefov.channels=16", "seg.crf=false");
    }

    /** Writes {@link #IMAGES} shapes images of 64 px with masks and labels; returns their ids in order. */
    static List<String> write(Path root) throws IOException {
        ShapesDataset shapes = new ShapesDataset(ShapesConfig.defaults().with(64, IMAGES + 8, 0));
        Files.createDirectories(root.resolve("images"));
        Files.createDirectories(root.resolve("masks"));
        Files.writeString(root.resolve("classes.txt"), String.join("\n", shapes.classes().names()) + "\n");
        List<String> lines = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<Sample> samples = shapes.samples("train");
        for (int i = 0; i < IMAGES; i++) {
            Sample s = samples.get(i % samples.size());
            ImageSample img = shapes.load(s);
            String id = String.format("img_%02d", i);
            ImageIo.writePng(root.resolve("images/" + id + ".png"), img.image());
            LabelPng.write(root.resolve("masks/" + id + ".png"), img.mask().orElseThrow());
            StringBuilder line = new StringBuilder(id);
            for (int c : s.classes()) {
                line.append(' ').append(shapes.classes().name(c));
            }
            lines.add(line.toString());
            ids.add(id);
        }
        Files.writeString(root.resolve("labels.txt"), String.join("\n", lines) + "\n");
        return ids;
    }

    /** The largest CAM difference between two runs (CAMs are normalised to at most 1; relative when larger). */
    static double maxCamDiff(Path a, Path b, List<String> ids) {
        double max = 0;
        for (String id : ids) {
            CamSet x = CamFiles.read(a.resolve("cam/" + id + ".npz"), id);
            CamSet y = CamFiles.read(b.resolve("cam/" + id + ".npz"), id);
            if (!Arrays.equals(x.classIds(), y.classIds())) {
                throw new AssertionError(id + ": classes " + Arrays.toString(x.classIds()) + " vs "
                        + Arrays.toString(y.classIds()));
            }
            double scale = Math.max(1, x.cams().amaxNumber().doubleValue());
            max = Math.max(max, x.cams().sub(y.cams()).amaxNumber().doubleValue() / scale);
        }
        return max;
    }

    /** The fraction of pixels equal between the label PNGs of two runs. */
    static double samePixels(Path a, Path b, String folder, List<String> ids) {
        long same = 0;
        long all = 0;
        for (String id : ids) {
            LabelMap x = LabelPng.read(a.resolve(folder + "/" + id + ".png"));
            LabelMap y = LabelPng.read(b.resolve(folder + "/" + id + ".png"));
            if (x.height() != y.height() || x.width() != y.width()) {
                throw new AssertionError(folder + "/" + id + ".png: sizes differ");
            }
            for (int i = 0; i < x.data().length; i++) {
                same += x.data()[i] == y.data()[i] ? 1 : 0;
            }
            all += x.data().length;
        }
        return (double) same / all;
    }

    /**
     * Copies a finished run without the outputs and states of the per-image stages and what follows
     * them (cams … eval), keeping both trainings: those stages run again, the trainings are up to date.
     */
    static void copyTrained(Path from, Path to) throws IOException {
        List<String> drop = List.of("cam", "cam-pred", "seeds", "rw", "eval", "report", "state/cams.json",
                "state/seeds.json", "state/walk.json", "state/eval.json", "state/report.json", ".psa-lock");
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String rel = from.relativize(dir).toString().replace('\\', '/');
                if (drop.contains(rel)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(rel));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = from.relativize(file).toString().replace('\\', '/');
                if (!drop.contains(rel)) {
                    Files.copy(file, to.resolve(rel));
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
