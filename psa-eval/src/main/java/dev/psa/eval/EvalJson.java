package dev.psa.eval;

import dev.psa.api.stage.ImageFailure;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.psa.api.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The {@code eval/<stage>.json} document: everything of an {@link EvalResult}, including the full
 * confusion matrix and, for CAMs, the threshold curve. Ratios are fractions in [0, 1]; undefined
 * values (NaN) are written as {@code null}.
 */
public final class EvalJson {
    /** Version of this document's layout. */
    public static final int FORMAT = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvalJson() {
    }

    /** The shared mapper (thread-safe once configured). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** @return the JSON tree of a result */
    public static ObjectNode toJson(EvalResult r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("stage", r.stage());
        root.put("kind", r.sweep().isPresent() ? "cam-threshold-sweep" : "labels");
        root.put("created", Instant.now().toString());
        root.put("predictions", r.predictions());
        root.put("dataset", r.dataset());
        root.put("split", r.split());
        root.put("images", r.images());
        root.put("skipped", r.skipped());
        ObjectNode cfg = root.putObject("config");
        r.config().toMap().forEach(cfg::put);
        Metrics m = r.metrics();
        num(root, "miou", m.meanIou());
        num(root, "pixelAccuracy", m.pixelAccuracy());
        num(root, "meanPrecision", m.meanPrecision());
        num(root, "meanRecall", m.meanRecall());
        root.put("classesInMean", m.classesInMean());
        ArrayNode absent = root.putArray("absentClasses");
        m.absentClasses().forEach(absent::add);
        root.put("pixels", m.pixels());
        root.put("ignoredPixels", m.ignoredPixels());
        root.put("unlabeledPredictions", m.unlabeledPredictions());
        root.put("unlabeledPredAs", r.config().unlabeledPredAs().key());
        root.set("classes", classes(m));
        root.set("confusionMatrix", matrix(r.matrix(), r));
        r.sweep().ifPresent(s -> {
            ObjectNode sw = root.putObject("sweep");
            sw.put("best", s.best().threshold());
            num(sw, "bestMiou", s.best().metrics().meanIou());
            ArrayNode t = sw.putArray("thresholds");
            ArrayNode mi = sw.putArray("miou");
            ArrayNode per = sw.putArray("perClassIou");
            for (CamThresholdSweep.Point p : s.points()) {
                t.add(p.threshold());
                addNum(mi, p.metrics().meanIou());
                ArrayNode row = per.addArray();
                for (ClassMetrics c : p.metrics().classes()) {
                    addNum(row, c.iou());
                }
            }
        });
        ArrayNode failures = root.putArray("failures");
        for (ImageFailure f : r.failures()) {
            failures.addObject().put("id", f.id()).put("stage", f.stage()).put("reason", f.reason());
        }
        ObjectNode timings = root.putObject("timings");
        timings.put("seconds", r.seconds());
        timings.put("imagesPerSecond", r.imagesPerSecond());
        timings.put("threads", r.config().effectiveThreads());
        return root;
    }

    /** Writes the document atomically. */
    public static Path write(Path file, EvalResult r) {
        try {
            return AtomicFiles.write(file, MAPPER.writeValueAsBytes(toJson(r)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static ArrayNode classes(Metrics m) {
        ArrayNode a = MAPPER.createArrayNode();
        for (ClassMetrics c : m.classes()) {
            ObjectNode o = a.addObject();
            o.put("id", c.id());
            o.put("name", c.name());
            num(o, "iou", c.iou());
            num(o, "precision", c.precision());
            num(o, "recall", c.recall());
            o.put("truePositives", c.truePositives());
            o.put("groundTruthPixels", c.groundTruthPixels());
            o.put("predictedPixels", c.predictedPixels());
            o.put("inMean", c.present());
        }
        return a;
    }

    private static ObjectNode matrix(ConfusionMatrix cm, EvalResult r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("rows", "ground truth class id 0..K-1");
        o.put("columns", "predicted class id 0..K-1, then one column of predicted 255 counted for no class");
        ArrayNode rows = o.putArray("counts");
        for (long[] row : cm.toArray()) {
            ArrayNode rr = rows.addArray();
            for (long v : row) {
                rr.add(v);
            }
        }
        if (r.sweep().isPresent()) {
            o.put("threshold", r.sweep().get().best().threshold());
        }
        return o;
    }

    private static void num(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    private static void addNum(ArrayNode a, double v) {
        if (Double.isNaN(v)) {
            a.addNull();
        } else {
            a.add(v);
        }
    }
}
