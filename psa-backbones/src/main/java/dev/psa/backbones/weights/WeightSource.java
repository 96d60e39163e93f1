package dev.psa.backbones.weights;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.PsaException;
import dev.psa.api.io.Npy;
import dev.psa.backbones.weights.internal.TensorRef;
import dev.psa.backbones.weights.internal.TorchCheckpoint;

/**
 * An open weight file: its description at once, each tensor's data when asked, so an import can
 * check every key and shape before it reads (or writes) anything, and then hold one tensor at a
 * time. A PyTorch file is read tensor by tensor ({@link TorchCheckpoint}); an {@code .npz} is
 * read whole when opened.
 */
final class WeightSource implements Closeable {
    private final WeightFileInfo info;
    private final TorchCheckpoint torch;
    private final Map<String, INDArray> arrays;

    private WeightSource(WeightFileInfo info, TorchCheckpoint torch, Map<String, INDArray> arrays) {
        this.info = info;
        this.torch = torch;
        this.arrays = arrays;
    }

    static WeightSource open(Path file) {
        WeightFiles.Format format = WeightFiles.format(file);
        if (format == WeightFiles.Format.NPZ) {
            Map<String, INDArray> arrays = Npy.readNpz(file);
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            arrays.forEach((k, a) -> tensors.put(k, new TensorInfo(a.shape(), dtypeName(a.dataType()), k, 0,
                    TensorInfo.cStrides(a.shape()))));
            return new WeightSource(new WeightFileInfo(file, format, false, Map.of(), tensors), null, arrays);
        }
        TorchCheckpoint c = format == WeightFiles.Format.PTH_ZIP ? TorchCheckpoint.openZip(file)
                : TorchCheckpoint.openLegacy(file);
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : c.tensors().entrySet()) {
            TensorRef t = e.getValue();
            tensors.put(e.getKey(), new TensorInfo(t.size(), storageDtype(t.storage().type().name()), t.storage().key(),
                    t.offset(), t.stride()));
        }
        return new WeightSource(new WeightFileInfo(file, format, c.wrapped(), c.otherEntries(), tensors), c, null);
    }

    WeightFileInfo info() {
        return info;
    }

    /** One tensor, shaped as stored, C order (PyTorch dtypes as {@link TorchCheckpoint#read}). */
    INDArray read(String key) {
        if (torch != null) {
            return torch.read(key);
        }
        INDArray a = arrays.get(key);
        if (a == null) {
            throw new PsaException(info.file() + ": no array '" + key + "'");
        }
        return a;
    }

    /** Every tensor, in file order. */
    Map<String, INDArray> readAll() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String k : info.tensors().keySet()) {
            out.put(k, read(k));
        }
        return out;
    }

    @Override
    public void close() {
        if (torch != null) {
            torch.close();
        }
    }

    /** numpy's name of a PyTorch storage type's elements. */
    static String storageDtype(String storage) {
        return switch (storage) {
            case "FloatStorage" -> "float32";
            case "DoubleStorage" -> "float64";
            case "HalfStorage" -> "float16";
            case "BFloat16Storage" -> "bfloat16";
            case "LongStorage" -> "int64";
            case "IntStorage" -> "int32";
            case "ShortStorage" -> "int16";
            case "CharStorage" -> "int8";
            case "ByteStorage" -> "uint8";
            case "BoolStorage" -> "bool";
            default -> storage;
        };
    }

    /** numpy's name of an ND4J data type ({@code float32}, {@code int64}, …). */
    static String dtypeName(DataType t) {
        return switch (t) {
            case FLOAT -> "float32";
            case DOUBLE -> "float64";
            case HALF -> "float16";
            case BFLOAT16 -> "bfloat16";
            case LONG -> "int64";
            case INT -> "int32";
            case SHORT -> "int16";
            case BYTE -> "int8";
            case UBYTE -> "uint8";
            case BOOL -> "bool";
            default -> t.toString().toLowerCase(Locale.ROOT);
        };
    }
}
