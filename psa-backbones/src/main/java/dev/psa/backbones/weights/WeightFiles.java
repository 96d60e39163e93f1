package dev.psa.backbones.weights;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.PsaException;
import dev.psa.api.io.Locations;
import dev.psa.backbones.BackboneStats;
import dev.psa.backbones.weights.WeightLoader.Layout;

/**
 * Reads weight files into name → array maps, as stored: numpy {@code .npz} (name → array) and
 * PyTorch {@code .pth}/{@code .pt} state_dicts, both the zip format and the legacy pickle
 * format, through an allow-listed unpickler (see {@link UnsafePickleException}). The format is
 * recognised from the content, not the file name; PyTorch zips through their central directory.
 * PyTorch conv weights are [out, in, kh, kw]; {@link WeightPlan} and {@link WeightLoader} convert
 * them to SameDiff's [kh, kw, in, out].
 */
public final class WeightFiles {
    /** What a weight file contains. */
    public enum Format {
        /** numpy archive of {@code .npy} entries. */
        NPZ,
        /** PyTorch ≥ 1.6 zip checkpoint ({@code data.pkl} + storages). */
        PTH_ZIP,
        /** PyTorch legacy checkpoint (a sequence of pickles and raw storages). */
        PTH_LEGACY
    }

    /** A head's GroupNorm parameter ({@code gn8_3.weight}, ...): [c] in PyTorch, [1, c, 1, 1] in psa's graph. */
    private static final Pattern GROUP_NORM = Pattern.compile("gn\\d+_\\d+\\.(weight|bias)");

    private WeightFiles() {
    }

    /**
     * @return every array of the file by name, in file order; PyTorch tensors keep their dtype
     *     (half and bfloat16 become float32), shapes as stored
     * @throws UnsafePickleException when a pickle names anything but tensors, storages and ordered dicts
     * @throws PsaException naming the file when it cannot be read
     */
    public static Map<String, INDArray> read(Path file) {
        requireNonNull(file, "file is null");
        try (WeightSource source = WeightSource.open(file)) {
            return source.readAll();
        }
    }

    /**
     * What the file holds, from its header alone (no tensor data is read): format, whether the
     * state_dict is wrapped in a dict (and that dict's other entries), and each tensor's stored
     * shape, dtype, storage, storage offset and strides.
     *
     * @throws UnsafePickleException when a pickle names anything but tensors, storages and ordered dicts
     * @throws PsaException naming the file when it cannot be read (truncated files included)
     */
    public static WeightFileInfo describe(Path file) {
        requireNonNull(file, "file is null");
        try (WeightSource source = WeightSource.open(file)) {
            return source.info();
        }
    }

    /**
     * A trained model file — psa's own {@code .npz} ({@code cls/model.npz}, {@code aff/model.npz},
     * or {@code psa weights import --with-heads} output) or a PyTorch {@code .pth} with the
     * authors' key names (e.g. {@code res38_cls.pth}, {@code vgg16_aff.pth}) — as parameters in
     * psa's graph layout, float32: PyTorch conv weights turned to [kh, kw, in, out], GroupNorm
     * vectors to [1, c, 1, 1], {@code module.} prefixes removed, batch-norm step counters dropped.
     * Whether the names and shapes fit a network is checked by the network that loads them; to
     * check them here, against a backbone and its heads, use {@link #readModel(Path, BackboneStats, Heads)}.
     *
     * @throws PsaException naming the file when it cannot be read
     */
    public static Map<String, INDArray> readModel(Path file) {
        requireNonNull(file, "file is null");
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (WeightSource source = WeightSource.open(file)) {
            boolean pytorch = source.info().format() != Format.NPZ;
            for (String key : source.info().tensors().keySet()) {
                String k = key.startsWith("module.") ? key.substring("module.".length()) : key;
                if (k.endsWith(".num_batches_tracked")) {
                    continue;
                }
                INDArray value = source.read(key);
                INDArray a = pytorch ? WeightLoader.toSameDiff(value) : value;
                if (a.rank() == 1 && GROUP_NORM.matcher(k).matches()) {
                    a = a.reshape(1, a.length(), 1, 1);
                }
                out.put(k, a.castTo(DataType.FLOAT));
            }
        }
        return out;
    }

    /**
     * A trained model file (psa's {@code .npz} or a PyTorch {@code .pth}: zip or legacy, a
     * {@code {'state_dict': …}} wrapper and {@code module.} prefixes undone) read for one backbone
     * and its heads, after checking, before any data is read, that every key has a place
     * ({@link WeightPlan}): every backbone parameter and the heads {@code heads} asks for present
     * with fitting shapes, nothing else but batch-norm step counters.
     *
     * @param backbone the backbone's shapes ({@code BackboneStats.of(backbone)})
     * @param heads    {@link Heads#CLASSIFIER} for a trained classifier ({@code cls.weights}),
     *                 {@link Heads#AFFINITY} for a trained AffinityNet ({@code aff.weights})
     * @return psa parameter name → array in psa's layout (convs [kh, kw, in, out], GroupNorm
     *     vectors [1, c, 1, 1]), float32: the backbone's parameters in its order, then the heads
     * @throws WeightMismatchException naming the file and every missing, unexpected and wrongly shaped key
     * @throws PsaException naming the file when it cannot be read
     */
    public static Map<String, INDArray> readModel(Path file, BackboneStats backbone, Heads heads) {
        requireNonNull(file, "file is null");
        try (WeightSource source = WeightSource.open(file)) {
            WeightPlan plan = WeightPlan.of(file.toString(), source.info().shapes(), backbone, heads, Layout.AUTO);
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (WeightPlan.Placement p : plan.placed()) {
                out.put(p.name(), p.convert(source.read(p.key())));
            }
            return out;
        }
    }

    /**
     * Recognises the format from the first bytes and, for zips, from the entries of the central
     * directory (an {@code .npz} holds {@code .npy} entries; a torch checkpoint
     * {@code <archive>/data.pkl}). Zips are read through {@link ZipFile}, which accepts the stored
     * entries with data descriptors that {@code torch.save} writes (general-purpose flag 0x0808).
     */
    public static Format format(Path file) {
        requireNonNull(file, "file is null");
        if (!Files.isRegularFile(file)) {
            throw new PsaException(file + ": no such weight file");
        }
        byte[] head = new byte[2];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, 2);
            if (n == 2 && head[0] == 'P' && head[1] == 'K') {
                return zipFormat(file);
            }
            if (n >= 1 && (head[0] & 0xFF) == 0x80) {
                return Format.PTH_LEGACY;
            }
        } catch (IOException e) {
            throw new PsaException(file + ": cannot read weight file: " + e.getMessage(), e);
        }
        throw new PsaException(file + ": unknown weight file format (supported: numpy .npz, PyTorch .pth "
                + "zip or legacy pickle)");
    }

    private static Format zipFormat(Path file) throws IOException {
        List<String> names = new ArrayList<>();
        if (Locations.isLocal(file)) {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                    names.add(en.nextElement().getName());
                }
            } catch (ZipException e) {
                throw notZip(file, e);
            }
        } else {
            // another file system (a run folder on HDFS): the zip's directory read through a seekable channel
            try (org.apache.commons.compress.archivers.zip.ZipFile zip =
                         new org.apache.commons.compress.archivers.zip.ZipFile(Files.newByteChannel(file))) {
                for (Enumeration<ZipArchiveEntry> en = zip.getEntries(); en.hasMoreElements(); ) {
                    names.add(en.nextElement().getName());
                }
            } catch (ZipException e) {
                throw notZip(file, e);
            }
        }
        boolean npy = false;
        for (String name : names) {
            if (name.equals("data.pkl") || name.endsWith("/data.pkl")) {
                return Format.PTH_ZIP;
            }
            npy |= name.endsWith(".npy");
        }
        if (npy) {
            return Format.NPZ;
        }
        throw new PsaException(file + ": a zip file without data.pkl (so not a PyTorch checkpoint) and without"
                + " .npy entries (so not a numpy .npz)");
    }

    private static PsaException notZip(Path file, ZipException e) {
        return new PsaException(file + ": not a readable zip file (truncated or damaged?): " + e.getMessage(), e);
    }
}
