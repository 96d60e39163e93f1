package dev.psa.api.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.PsaException;

/**
 * numpy {@code .npy} (format 1.0–3.0, C order, little- or big-endian) and {@code .npz} (a zip of
 * {@code .npy} entries, stored or deflated) that numpy reads and writes too. Supported dtypes:
 * float32, float64, int8, uint8, int16, int32, int64, bool. Written files use format 1.0,
 * little-endian, C order; {@code .npz} entries are deflated like {@code numpy.savez_compressed}.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Reads one {@code .npy} file. Errors name the file. */
    public static INDArray read(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new PsaException(file + ": cannot read .npy file: " + e.getMessage(), e);
        }
    }

    /** Reads one {@code .npy} array from a stream; {@code source} is named in errors. */
    public static INDArray read(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] magic = new byte[6];
        readFully(in, magic, source);
        for (int i = 0; i < 6; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new PsaException(source + ": not a .npy file (bad magic)");
            }
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        int headerLen;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
        } else if (major == 2 || major == 3) {
            headerLen = Integer.reverseBytes(in.readInt());
        } else {
            throw new PsaException(source + ": unsupported .npy format version " + major);
        }
        if (headerLen < 0 || headerLen > (1 << 20)) {
            throw new PsaException(source + ": implausible .npy header length " + headerLen);
        }
        byte[] header = new byte[headerLen];
        readFully(in, header, source);
        String h = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, h, "descr", source);
        if (group(FORTRAN, h, "fortran_order", source).equals("True")) {
            throw new PsaException(source + ": Fortran-order arrays are not supported; save with C order");
        }
        long[] shape = parseShape(group(SHAPE, h, "shape", source), source);
        long count = 1;
        for (long s : shape) {
            count = Math.multiplyExact(count, s);
        }
        ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String kind = descr.replaceFirst("^[<>|=]", "");
        int itemSize = switch (kind) {
            case "f4", "i4" -> 4;
            case "f8", "i8" -> 8;
            case "i2" -> 2;
            case "u1", "i1", "b1" -> 1;
            default -> throw new PsaException(source + ": unsupported dtype '" + descr
                    + "' (supported: float32, float64, int8, uint8, int16, int32, int64, bool)");
        };
        long bytes = Math.multiplyExact(count, itemSize);
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new PsaException(source + ": array of " + bytes + " bytes is too large");
        }
        byte[] data = new byte[(int) bytes];
        readFully(in, data, source);
        ByteBuffer buf = ByteBuffer.wrap(data).order(order);
        long[] ndShape = shape.length == 0 ? new long[0] : shape;
        INDArray out;
        switch (kind) {
            case "f4" -> {
                float[] v = new float[(int) count];
                buf.asFloatBuffer().get(v);
                out = Nd4j.create(v, ndShape, DataType.FLOAT);
            }
            case "f8" -> {
                double[] v = new double[(int) count];
                buf.asDoubleBuffer().get(v);
                out = Nd4j.create(v, ndShape, DataType.DOUBLE);
            }
            case "i4" -> {
                int[] v = new int[(int) count];
                buf.asIntBuffer().get(v);
                out = Nd4j.createFromArray(v).reshape(ndShape);
            }
            case "i8" -> {
                long[] v = new long[(int) count];
                buf.asLongBuffer().get(v);
                out = Nd4j.createFromArray(v).reshape(ndShape);
            }
            case "i2" -> {
                short[] v = new short[(int) count];
                buf.asShortBuffer().get(v);
                out = Nd4j.createFromArray(v).reshape(ndShape);
            }
            case "u1" -> {
                // ND4J's UINT8 support is partial; widen to INT32 values 0..255.
                int[] v = new int[(int) count];
                for (int i = 0; i < v.length; i++) {
                    v[i] = data[i] & 0xFF;
                }
                out = Nd4j.createFromArray(v).reshape(ndShape);
            }
            case "i1" -> out = Nd4j.createFromArray(data.clone()).reshape(ndShape);
            default -> {
                boolean[] v = new boolean[(int) count];
                for (int i = 0; i < v.length; i++) {
                    v[i] = data[i] != 0;
                }
                out = Nd4j.createFromArray(v).reshape(ndShape);
            }
        }
        return out;
    }

    /** Writes one array as {@code .npy} (atomically). */
    public static void write(Path file, INDArray array) {
        try {
            AtomicFiles.write(file, out -> write(out, array));
        } catch (IOException e) {
            throw new PsaException(file + ": cannot write .npy file: " + e.getMessage(), e);
        }
    }

    /** Writes one array in {@code .npy} format 1.0 to a stream. */
    public static void write(OutputStream out, INDArray array) throws IOException {
        out.write(npyBytes(array));
    }

    /** Writes uint8 data of the given shape (e.g. label maps) as {@code .npy}. */
    public static void writeUint8(OutputStream out, byte[] data, long... shape) throws IOException {
        out.write(header("|u1", shape));
        out.write(data);
    }

    /**
     * The whole {@code .npy} file of an array in one array: header, then the data, copied once
     * from the array's memory for float32/64 and int32/64 (a 400 MB model's worth of arrays is
     * written in about a second).
     */
    private static byte[] npyBytes(INDArray array) {
        boolean plain = !array.isView() && array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array)
                && (array.length() == 0 || array.length() == array.data().length());
        INDArray a = plain ? array : array.dup('c');
        long n = a.length();
        String descr = switch (a.dataType()) {
            case FLOAT -> "<f4";
            case DOUBLE -> "<f8";
            case INT -> "<i4";
            case LONG -> "<i8";
            case BYTE -> "|i1";
            case BOOL -> "|b1";
            case UBYTE -> "|u1";
            default -> throw new IllegalArgumentException("cannot write dtype " + a.dataType() + " as .npy");
        };
        byte[] header = header(descr, a.shape());
        int itemSize = descr.charAt(0) == '|' ? 1 : a.dataType().width();
        long bytes = n * itemSize;
        if (header.length + bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("array of " + n + " elements is too large for one .npy entry");
        }
        byte[] out = new byte[(int) (header.length + bytes)];
        System.arraycopy(header, 0, out, 0, header.length);
        if (n == 0) {
            return out;
        }
        ByteBuffer data = ByteBuffer.wrap(out, header.length, (int) bytes).slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (a.dataType()) {
            case FLOAT, DOUBLE, INT, LONG -> {
                if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                    ByteBuffer src = a.data().asNio().duplicate();
                    src.clear().limit((int) bytes);
                    data.put(src);
                } else if (a.dataType() == DataType.FLOAT) {
                    data.asFloatBuffer().put(a.data().asFloat());
                } else if (a.dataType() == DataType.DOUBLE) {
                    data.asDoubleBuffer().put(a.data().asDouble());
                } else if (a.dataType() == DataType.INT) {
                    data.asIntBuffer().put(a.data().asInt());
                } else {
                    data.asLongBuffer().put(a.data().asLong());
                }
            }
            default -> {
                int[] v = a.dataType() == DataType.BOOL ? a.castTo(DataType.INT).data().asInt() : a.data().asInt();
                for (int x : v) {
                    data.put((byte) x);
                }
            }
        }
        return out;
    }

    /** A format 1.0 header: magic, version, length, the dict padded with spaces and a newline to a multiple of 64. */
    private static byte[] header(String descr, long[] shape) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            s.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                s.append(shape.length == 1 ? "," : ", ");
            }
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + s + "), }";
        int total = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAGIC.length + 4 + header.length());
        out.writeBytes(MAGIC);
        out.write(1);
        out.write(0);
        int len = header.length();
        out.write(len & 0xFF);
        out.write((len >> 8) & 0xFF);
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Reads every array of an {@code .npz} file, in file order. Errors name the file and entry. */
    public static Map<String, INDArray> readNpz(Path file) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            ZipEntry e;
            boolean any = false;
            while ((e = zip.getNextEntry()) != null) {
                any = true;
                String name = e.getName();
                if (!name.endsWith(".npy")) {
                    throw new PsaException(file + ": entry '" + name + "' is not a .npy array");
                }
                out.put(name.substring(0, name.length() - 4), read(zip, file + "!" + name));
            }
            if (!any) {
                throw new PsaException(file + ": not an .npz file (no zip entries; empty, truncated or another format)");
            }
        } catch (IOException ex) {
            throw new PsaException(file + ": cannot read .npz file: " + ex.getMessage(), ex);
        }
        return out;
    }

    /** Modification time of every zip entry: fixed, so the same arrays always give the same bytes. */
    static final long ENTRY_TIME = 946_728_000_000L; // 2000-01-01T12:00:00Z

    /**
     * Writes arrays as a compressed {@code .npz} (atomically); keys become entry names + ".npy".
     * The bytes depend only on the arrays and their order (entries carry a fixed time), so equal
     * results give identical files.
     */
    public static void writeNpz(Path file, Map<String, INDArray> arrays) {
        writeNpz(file, arrays, true);
    }

    /**
     * Like {@link #writeNpz(Path, Map)}; {@code compressed = false} stores the entries as they are
     * (numpy's {@code savez} rather than {@code savez_compressed}): for model weights, which deflate
     * by a few percent only, this writes a 400 MB ResNet-38 in about a second instead of fourteen.
     */
    public static void writeNpz(Path file, Map<String, INDArray> arrays, boolean compressed) {
        try {
            AtomicFiles.write(file, raw -> {
                ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(raw, 1 << 16));
                for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                    ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                    entry.setTime(ENTRY_TIME);
                    byte[] b = npyBytes(e.getValue());
                    if (!compressed) {
                        CRC32 crc = new CRC32();
                        crc.update(b);
                        entry.setMethod(ZipEntry.STORED);
                        entry.setSize(b.length);
                        entry.setCompressedSize(b.length);
                        entry.setCrc(crc.getValue());
                    }
                    zip.putNextEntry(entry);
                    zip.write(b);
                    zip.closeEntry();
                }
                zip.finish();
                zip.flush();
            });
        } catch (IOException e) {
            throw new PsaException(file + ": cannot write .npz file: " + e.getMessage(), e);
        }
    }

    private static void readFully(DataInputStream in, byte[] b, String source) throws IOException {
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new PsaException(source + ": truncated .npy data (expected " + b.length + " more bytes)");
        }
    }

    private static String group(Pattern p, String header, String key, String source) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new PsaException(source + ": .npy header lacks '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static long[] parseShape(String s, String source) {
        List<Long> dims = new ArrayList<>();
        for (String part : s.split(",")) {
            String t = part.trim();
            if (!t.isEmpty()) {
                try {
                    dims.add(Long.parseLong(t.replace("L", "")));
                } catch (NumberFormatException e) {
                    throw new PsaException(source + ": bad shape '(" + s + ")' in .npy header");
                }
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }
}
