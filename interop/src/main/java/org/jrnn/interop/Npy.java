package org.jrnn.interop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jrnn.core.AtomicFile;

/**
 * NumPy {@code .npy} files of float32 in C order (format versions 1.0, 2.0 and 3.0 read; 1.0 written): the
 * magic {@code \x93NUMPY}, a version, a little-endian header length, an ASCII Python dict
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (…), }} padded so the data starts at a multiple of 64
 * bytes, then the values. Other dtypes and Fortran order are refused with an error that says so.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** A float32 array and its shape. */
    public record Array(int[] shape, float[] values) {
        public Array {
            shape = shape.clone();
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("npy: shape " + Arrays.toString(shape) + " holds " + n
                        + " values, found " + values.length);
            }
        }

        public String shapeText() {
            return Arrays.toString(shape);
        }
    }

    public static Array read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String where = file.toString();
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IOException(where + ": not a NumPy .npy file (it does not start with \\x93NUMPY)");
        }
        int major = bytes[6];
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = buffer.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new IOException(where + ": truncated .npy header");
            }
            headerLength = buffer.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new IOException(where + ": .npy format version " + major + " is not supported (1, 2 and 3 are)");
        }
        if (headerStart + headerLength > bytes.length) {
            throw new IOException(where + ": truncated .npy header (" + headerLength + " bytes declared, file has "
                    + bytes.length + ")");
        }
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, where, "descr");
        if (!descr.equals("<f4")) {
            throw new IOException(where + ": dtype '" + descr + "' is not supported; expected float32 ('<f4'), e.g. "
                    + "numpy.save(f, x.astype(numpy.float32))");
        }
        if (group(FORTRAN, header, where, "fortran_order").equals("True")) {
            throw new IOException(where + ": Fortran (column-major) order is not supported; save a C-ordered "
                    + "array (numpy.ascontiguousarray)");
        }
        String dims = group(SHAPE, header, where, "shape").strip();
        int[] shape = dims.isEmpty() ? new int[0] : Arrays.stream(dims.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).mapToInt(s -> {
                    try {
                        return Integer.parseInt(s);
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                }).toArray();
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IOException(where + ": malformed shape (" + dims + ")");
            }
            count *= d;
        }
        long dataStart = headerStart + headerLength;
        if (bytes.length - dataStart != count * 4) {
            throw new IOException(where + ": shape (" + dims + ") needs " + count * 4 + " bytes of data, the file has "
                    + (bytes.length - dataStart));
        }
        float[] values = new float[(int) count];
        ByteBuffer.wrap(bytes, (int) dataStart, (int) count * 4).slice().order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(values);
        return new Array(shape, values);
    }

    private static String group(Pattern p, String header, String where, String key) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(where + ": the .npy header has no valid '" + key + "': " + header.strip());
        }
        return m.group(1);
    }

    /** Writes a float32 C-order array, format 1.0, atomically. */
    public static void write(Path file, Array array) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int d : array.shape()) {
            dims.append(d).append(", ");
        }
        String shape = array.shape().length == 1 ? array.shape()[0] + "," : dims.length() == 0 ? ""
                : dims.substring(0, dims.length() - 2);
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - 10 - dict.length() - 1) + "\n";
        ByteBuffer data = ByteBuffer.allocate(4 * array.values().length).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(array.values());
        AtomicFile.write(file, out -> {
            out.write(MAGIC);
            out.write(new byte[] {1, 0});
            out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            out.write(data.array());
        });
    }
}
