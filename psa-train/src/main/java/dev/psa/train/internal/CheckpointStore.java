package dev.psa.train.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.PsaException;
import dev.psa.api.io.AtomicFiles;
import dev.psa.api.io.Npy;

/**
 * The checkpoint folder {@code <dir>/checkpoint/}: {@code params-<step>.npz}, one
 * {@code <buffer>-<step>.npz} per optimizer buffer set ({@code momentum} for SGD; {@code adam-m},
 * {@code adam-v} for Adam) and {@code state.json}, which names the arrays files. Each file is written
 * atomically and state.json last, so a crash at any point leaves the previous complete checkpoint
 * readable; older arrays files are deleted after state.json points at the new ones.
 * <p>
 * state.json format 2 ({@code "format": "psa-train checkpoint 2"}) names the buffer files in
 * {@code "buffers"} and Adam's per-parameter update counts in {@code "updates"}; format 1 (SGD only,
 * before Adam) named its one momentum file in {@code "momentum"} and is still read.
 */
public final class CheckpointStore {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final String STATE = "state.json";
    /** The format written. */
    public static final String FORMAT = "psa-train checkpoint 2";

    /**
     * Everything a resumed run needs. No random-generator state is stored: the sample order, the
     * augmentation rng and the dropout seed are all derived from (seed, epoch, step).
     *
     * @param step       steps completed
     * @param epoch      epoch of the next step, 0-based (= step / stepsPerEpoch)
     * @param seed       the run's seed
     * @param config     TrainConfig fields by name
     * @param numSamples training samples of the task
     * @param losses     the loss of every completed step
     * @param epochs     per finished epoch: loss and validation metrics
     * @param params     parameter values by variable name
     * @param buffers    the optimizer's buffers of the trainable parameters, by set name
     *                   ({@code momentum}; {@code adam-m}, {@code adam-v}), then parameter name
     * @param updates    updates applied per parameter (Adam; empty for SGD)
     */
    public record State(long step, long epoch, long seed, Map<String, Object> config, int numSamples,
                        List<Double> losses, List<Map<String, Double>> epochs,
                        Map<String, INDArray> params, Map<String, Map<String, INDArray>> buffers,
                        Map<String, Long> updates) {
    }

    private final Path dir;

    /** @param dir the checkpoint folder, {@code <run>/<stage>/checkpoint} */
    public CheckpointStore(Path dir) {
        this.dir = requireNonNull(dir, "dir is null");
    }

    public Path dir() {
        return dir;
    }

    public boolean exists() {
        return Files.isRegularFile(dir.resolve(STATE));
    }

    public void write(State s) {
        String tag = String.format("%08d", s.step());
        String paramsFile = "params-" + tag + ".npz";
        Npy.writeNpz(dir.resolve(paramsFile), s.params(), false);
        Set<String> keep = new TreeSet<>(Set.of(paramsFile));
        Map<String, String> bufferFiles = new TreeMap<>();
        for (Map.Entry<String, Map<String, INDArray>> b : new TreeMap<>(s.buffers()).entrySet()) {
            String file = b.getKey() + "-" + tag + ".npz";
            Npy.writeNpz(dir.resolve(file), b.getValue(), false);
            bufferFiles.put(b.getKey(), file);
            keep.add(file);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("step", s.step());
        json.put("epoch", s.epoch());
        json.put("seed", s.seed());
        json.put("config", s.config());
        json.put("numSamples", s.numSamples());
        json.put("params", paramsFile);
        json.put("buffers", bufferFiles);
        json.put("updates", new TreeMap<>(s.updates()));
        json.put("epochs", s.epochs());
        json.put("losses", s.losses());
        try {
            AtomicFiles.write(dir.resolve(STATE), out -> JSON.writeValue(new NonClosing(out), json));
        } catch (IOException e) {
            throw new PsaException(dir.resolve(STATE) + ": cannot write checkpoint state: " + e.getMessage(), e);
        }
        deleteOlder(keep);
    }

    /** Reads the checkpoint; errors name the file and what is wrong. */
    public State read() {
        Path stateFile = dir.resolve(STATE);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(stateFile));
        } catch (IOException e) {
            throw new PsaException(stateFile + ": cannot read checkpoint state: " + e.getMessage()
                    + " (delete the checkpoint folder to start over)", e);
        }
        // format 1 (before Adam) names its one buffer file in "momentum"; format 2 in "buffers"
        boolean format1 = !root.has("buffers");
        for (String key : List.of("step", "epoch", "seed", "config", "numSamples", "params",
                format1 ? "momentum" : "buffers", "epochs", "losses")) {
            if (!root.has(key)) {
                throw new PsaException(stateFile + ": checkpoint state lacks '" + key
                        + "' (delete the checkpoint folder to start over)");
            }
        }
        Map<String, Object> config = new LinkedHashMap<>();
        root.get("config").fields().forEachRemaining(e -> config.put(e.getKey(),
                e.getValue().isTextual() ? (Object) e.getValue().asText()
                        : e.getValue().isIntegralNumber() ? (Object) e.getValue().asLong() : (Object) e.getValue().asDouble()));
        List<Double> losses = new ArrayList<>();
        root.get("losses").forEach(n -> losses.add(n.asDouble()));
        List<Map<String, Double>> epochs = new ArrayList<>();
        root.get("epochs").forEach(n -> {
            Map<String, Double> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asDouble()));
            epochs.add(m);
        });
        Map<String, INDArray> params = Npy.readNpz(dir.resolve(root.get("params").asText()));
        Map<String, Map<String, INDArray>> buffers = new TreeMap<>();
        Map<String, Long> updates = new TreeMap<>();
        if (format1) {
            buffers.put("momentum", Npy.readNpz(dir.resolve(root.get("momentum").asText())));
        } else {
            root.get("buffers").fields().forEachRemaining(e -> buffers.put(e.getKey(),
                    Npy.readNpz(dir.resolve(e.getValue().asText()))));
            if (root.has("updates")) {
                root.get("updates").fields().forEachRemaining(e -> updates.put(e.getKey(), e.getValue().asLong()));
            }
        }
        return new State(root.get("step").asLong(), root.get("epoch").asLong(), root.get("seed").asLong(),
                config, root.get("numSamples").asInt(), losses, epochs, params, buffers, updates);
    }

    /** Writes a JSON value atomically with indentation. */
    public static void writeJson(Path file, Object value) {
        try {
            AtomicFiles.write(file, out -> JSON.writeValue(new NonClosing(out), value));
        } catch (IOException e) {
            throw new PsaException(file + ": cannot write JSON: " + e.getMessage(), e);
        }
    }

    private void deleteOlder(Set<String> keep) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*-[0-9]*.npz")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                if (!keep.contains(n)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new PsaException(dir + ": cannot delete old checkpoint files: " + e.getMessage(), e);
        }
    }

    /** Jackson closes the stream it writes to; AtomicFiles needs it open to flush and sync. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
