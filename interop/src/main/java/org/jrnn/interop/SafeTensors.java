package org.jrnn.interop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jrnn.core.AtomicFile;

/**
 * The safetensors format (Hugging Face): an unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON
 * mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (byte offsets into the
 * data area that follows the header) and an optional {@code "__metadata__"} object of strings, then the raw
 * little-endian data.
 *
 * <p>Reading memory-maps the file (the data is copied once, into the float arrays), parses the header with
 * Jackson and validates everything before any tensor is returned: the header length against the file size,
 * each dtype (F32; F16 and BF16 are widened to float on load), each shape against its byte count, each range
 * inside the data area, and no two ranges overlapping. A problem is an {@link IOException} naming the tensor and
 * what is wrong. Writing goes to a temporary file renamed over the target, tensors in the given order, the header
 * padded with spaces to a multiple of 8 bytes.
 */
public final class SafeTensors {
    /** Header sizes above this are refused as corrupt (the format's reference implementation uses 100 MB). */
    static final long MAX_HEADER = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One tensor: its name, shape and float32 values in row-major order. */
    public record Tensor(String name, int[] shape, float[] values) {
        public Tensor {
            Objects.requireNonNull(name, "name");
            shape = shape.clone();
            long n = 1;
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
                }
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + n
                        + " values, found " + values.length);
            }
        }

        /** The shape as text, e.g. {@code [28, 5]}. */
        public String shapeText() {
            return Arrays.toString(shape);
        }
    }

    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private SafeTensors(Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** Tensors in file order (by data offset). */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} strings (empty if none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The named tensor, or null. */
    public Tensor get(String name) {
        return tensors.get(name);
    }

    /** Reads and validates a file. */
    public static SafeTensors read(Path file) throws IOException {
        String where = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new IOException(where + ": truncated: " + size + " bytes, a safetensors file starts with an "
                        + "8-byte header length");
            }
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            map.order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = map.getLong(0);
            if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > size - 8) {
                throw new IOException(where + ": the header length " + Long.toUnsignedString(headerLength)
                        + " does not fit a file of " + size + " bytes" + (headerLength > size - 8 ? " (truncated?)" : ""));
            }
            byte[] header = new byte[(int) headerLength];
            map.get(8, header);
            JsonNode root;
            try {
                root = JSON.readTree(header);
            } catch (JsonProcessingException e) {
                throw new IOException(where + ": the header is not valid JSON: " + e.getOriginalMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw new IOException(where + ": the header must be a JSON object");
            }
            long dataStart = 8 + headerLength;
            long dataSize = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals("__metadata__")) {
                    readMetadata(where, field.getValue(), metadata);
                    continue;
                }
                entries.add(entry(where, field.getKey(), field.getValue(), dataSize));
            }
            entries.sort(Comparator.comparingLong(Entry::begin));
            for (int i = 1; i < entries.size(); i++) {
                Entry a = entries.get(i - 1);
                Entry b = entries.get(i);
                if (b.begin() < a.end()) {
                    throw new IOException(where + ": tensors '" + a.name() + "' [" + a.begin() + ", " + a.end()
                            + ") and '" + b.name() + "' [" + b.begin() + ", " + b.end() + ") overlap");
                }
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                tensors.put(e.name(), new Tensor(e.name(), e.shape(), decode(map, dataStart + e.begin(), e)));
            }
            return new SafeTensors(tensors, metadata);
        }
    }

    /** A tensor's header entry, checked. */
    private record Entry(String name, String dtype, int[] shape, long begin, long end, int count) {
    }

    private static void readMetadata(String where, JsonNode node, Map<String, String> metadata) throws IOException {
        if (!node.isObject()) {
            throw new IOException(where + ": __metadata__ must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw new IOException(where + ": __metadata__." + m.getKey() + " must be a string, found "
                        + m.getValue().getNodeType());
            }
            metadata.put(m.getKey(), m.getValue().asText());
        }
    }

    private static Entry entry(String where, String name, JsonNode node, long dataSize) throws IOException {
        String at = where + ": tensor '" + name + "'";
        if (!node.isObject()) {
            throw new IOException(at + ": expected an object with dtype, shape and data_offsets");
        }
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsetsNode = node.get("data_offsets");
        if (dtypeNode == null || !dtypeNode.isTextual() || shapeNode == null || !shapeNode.isArray()
                || offsetsNode == null || !offsetsNode.isArray() || offsetsNode.size() != 2) {
            throw new IOException(at + ": expected \"dtype\" (a string), \"shape\" (an array) and \"data_offsets\" "
                    + "(two integers)");
        }
        String dtype = dtypeNode.asText();
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new IOException(at + ": dtype " + dtype + " is not supported (F32, F16 and BF16 are)");
        };
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
                throw new IOException(at + ": shape " + shapeNode + " must hold non-negative integers");
            }
            shape[i] = (int) d.asLong();
            count *= shape[i];
            if (count > Integer.MAX_VALUE - 8) {
                throw new IOException(at + ": shape " + shapeNode + " is too large for one array");
            }
        }
        JsonNode b = offsetsNode.get(0);
        JsonNode e = offsetsNode.get(1);
        if (!b.isIntegralNumber() || !e.isIntegralNumber() || b.asLong() < 0 || e.asLong() < b.asLong()) {
            throw new IOException(at + ": data_offsets " + offsetsNode + " must be two integers 0 <= begin <= end");
        }
        long begin = b.asLong();
        long end = e.asLong();
        if (end > dataSize) {
            throw new IOException(at + ": data_offsets " + offsetsNode + " reach past the data area of " + dataSize
                    + " bytes (truncated file?)");
        }
        if (end - begin != count * width) {
            throw new IOException(at + ": shape " + shapeNode + " of " + dtype + " needs " + count * width
                    + " bytes, data_offsets " + offsetsNode + " give " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end, (int) count);
    }

    private static float[] decode(ByteBuffer map, long start, Entry e) {
        float[] values = new float[e.count()];
        int at = (int) start;
        switch (e.dtype()) {
            case "F32" -> map.slice(at, e.count() * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            case "F16" -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.float16ToFloat(map.getShort(at + 2 * i));
                }
            }
            default -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.intBitsToFloat((map.getShort(at + 2 * i) & 0xffff) << 16);
                }
            }
        }
        return values;
    }

    /**
     * Writes float32 tensors in the given order with optional metadata, atomically (a temporary file beside the
     * target, renamed over it).
     */
    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Tensor t : tensors) {
            if (t.name().equals("__metadata__") || header.has(t.name())) {
                throw new IllegalArgumentException("safetensors: tensor name '" + t.name() + "' is reserved or repeated");
            }
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", "F32");
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            ArrayNode offsets = entry.putArray("data_offsets");
            offsets.add(offset);
            offset += 4L * t.values().length;
            offsets.add(offset);
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = Arrays.copyOf(json, padded);
        Arrays.fill(head, json.length, padded, (byte) ' ');
        AtomicFile.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(head);
            for (Tensor t : tensors) {
                ByteBuffer data = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(t.values());
                out.write(data.array());
            }
        });
    }
}
