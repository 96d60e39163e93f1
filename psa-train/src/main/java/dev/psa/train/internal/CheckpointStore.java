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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.PsaException;
import dev.psa.api.io.AtomicFiles;
import dev.psa.api.io.Npy;

/**
 * The checkpoint folder {@code <dir>/checkpoint/}: {@code params-<step>.npz},
 * {@code momentum-<step>.npz} and {@code state.json}, which names the two arrays files. Each file
 * is written atomically and state.json last, so a crash at any point leaves the previous complete
 * checkpoint readable; older arrays files are deleted after state.json points at the new ones.
 */
public final class CheckpointStore {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final String STATE = "state.json";

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
     * @param momentum   momentum buffers of the trainable parameters
     */
    public record State(long step, long epoch, long seed, Map<String, Object> config, int numSamples,
                        List<Double> losses, List<Map<String, Double>> epochs,
                        Map<String, INDArray> params, Map<String, INDArray> momentum) {
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
        String momentumFile = "momentum-" + tag + ".npz";
        Npy.writeNpz(dir.resolve(paramsFile), s.params(), false);
        Npy.writeNpz(dir.resolve(momentumFile), s.momentum(), false);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", "psa-train checkpoint 1");
        json.put("step", s.step());
        json.put("epoch", s.epoch());
        json.put("seed", s.seed());
        json.put("config", s.config());
        json.put("numSamples", s.numSamples());
        json.put("params", paramsFile);
        json.put("momentum", momentumFile);
        json.put("epochs", s.epochs());
        json.put("losses", s.losses());
        try {
            AtomicFiles.write(dir.resolve(STATE), out -> JSON.writeValue(new NonClosing(out), json));
        } catch (IOException e) {
            throw new PsaException(dir.resolve(STATE) + ": cannot write checkpoint state: " + e.getMessage(), e);
        }
        deleteOlder(paramsFile, momentumFile);
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
        for (String key : List.of("step", "epoch", "seed", "config", "numSamples", "params", "momentum",
                "epochs", "losses")) {
            if (!root.has(key)) {
                throw new PsaException(stateFile + ": checkpoint state lacks '" + key
                        + "' (delete the checkpoint folder to start over)");
            }
        }
        Map<String, Object> config = new LinkedHashMap<>();
        root.get("config").fields().forEachRemaining(e -> config.put(e.getKey(),
                e.getValue().isIntegralNumber() ? (Object) e.getValue().asLong() : (Object) e.getValue().asDouble()));
        List<Double> losses = new ArrayList<>();
        root.get("losses").forEach(n -> losses.add(n.asDouble()));
        List<Map<String, Double>> epochs = new ArrayList<>();
        root.get("epochs").forEach(n -> {
            Map<String, Double> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asDouble()));
            epochs.add(m);
        });
        Map<String, INDArray> params = Npy.readNpz(dir.resolve(root.get("params").asText()));
        Map<String, INDArray> momentum = Npy.readNpz(dir.resolve(root.get("momentum").asText()));
        return new State(root.get("step").asLong(), root.get("epoch").asLong(), root.get("seed").asLong(),
                config, root.get("numSamples").asInt(), losses, epochs, params, momentum);
    }

    /** Writes a JSON value atomically with indentation. */
    public static void writeJson(Path file, Object value) {
        try {
            AtomicFiles.write(file, out -> JSON.writeValue(new NonClosing(out), value));
        } catch (IOException e) {
            throw new PsaException(file + ": cannot write JSON: " + e.getMessage(), e);
        }
    }

    private void deleteOlder(String keepParams, String keepMomentum) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "{params,momentum}-*.npz")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                if (!n.equals(keepParams) && !n.equals(keepMomentum)) {
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
