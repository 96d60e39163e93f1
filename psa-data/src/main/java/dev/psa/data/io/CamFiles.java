package dev.psa.data.io;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.CamSet;
import dev.psa.api.PsaException;
import dev.psa.api.io.Npy;
import java.nio.file.Files;

/**
 * The per-image CAM files of a run ({@code cam/<id>.npz}, CONTRACTS.md): a compressed numpy
 * archive with {@code cams} [C, H, W] float32 (present classes only) and {@code keys} [C] int32
 * (their class ids 1..K-1). Python reads one with
 * {@code z = numpy.load(f); dict(zip(z["keys"], z["cams"]))}.
 */
public final class CamFiles {
    /** Entry name of the CAM stack. */
    public static final String CAMS = "cams";
    /** Entry name of the class ids. */
    public static final String KEYS = "keys";

    private CamFiles() {
    }

    /** Writes a CAM set atomically. */
    public static void write(Path file, CamSet cams) {
        requireNonNull(file, "file is null");
        requireNonNull(cams, "cams is null");
        Map<String, INDArray> m = new LinkedHashMap<>();
        int[] keys = cams.classIds();
        if (keys.length == 0) {
            // no present class: keep the image size in an empty [0, H, W] array
            m.put(CAMS, Nd4j.create(DataType.FLOAT, 0, cams.height(), cams.width()));
            m.put(KEYS, Nd4j.create(DataType.INT, 0));
        } else {
            m.put(CAMS, cams.cams().castTo(DataType.FLOAT));
            m.put(KEYS, Nd4j.createFromArray(keys));
        }
        Npy.writeNpz(file, m);
    }

    /**
     * Reads a CAM file.
     *
     * @param id the image id the CAM set gets
     * @return cams [C, H, W] float32 with their class ids
     * @throws PsaException naming the file when it is missing, corrupt, lacks an entry, or the
     *     entries disagree
     */
    public static CamSet read(Path file, String id) {
        requireNonNull(file, "file is null");
        requireNonNull(id, "id is null");
        if (!Files.isRegularFile(file)) {
            throw new PsaException(file + ": CAM file not found");
        }
        Map<String, INDArray> m = Npy.readNpz(file);
        INDArray cams = m.get(CAMS);
        INDArray keys = m.get(KEYS);
        if (cams == null || keys == null) {
            throw new PsaException(file + ": CAM file needs entries '" + CAMS + "' and '" + KEYS + "', found "
                    + m.keySet());
        }
        if (cams.rank() != 3) {
            throw new PsaException(file + ": '" + CAMS + "' must be [C, H, W], got " + Arrays.toString(cams.shape()));
        }
        if (keys.rank() > 1 || keys.length() != cams.size(0)) {
            throw new PsaException(file + ": '" + KEYS + "' must be [C] with C = " + cams.size(0) + ", got "
                    + Arrays.toString(keys.shape()));
        }
        if (!keys.dataType().isIntType()) {
            throw new PsaException(file + ": '" + KEYS + "' must hold integers, got " + keys.dataType());
        }
        int[] ids = keys.length() == 0 ? new int[0] : keys.castTo(DataType.INT).data().asInt();
        INDArray c = cams.dataType() == DataType.FLOAT ? cams : cams.castTo(DataType.FLOAT);
        try {
            return new CamSet(id, ids, c);
        } catch (IllegalArgumentException e) {
            throw new PsaException(file + ": " + e.getMessage(), e);
        }
    }
}
