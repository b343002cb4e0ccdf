package org.jrnn.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jrnn.scalar.ScalarBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed safetensors and .npy files, and weights that do not fit, get errors naming the tensor and the problem. */
class WeightErrorsTest {
    @TempDir
    Path dir;

    /** A safetensors file with this header text and {@code dataBytes} bytes of data. */
    private Path file(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path p = dir.resolve("w.safetensors");
        Files.write(p, b.array());
        return p;
    }

    private void rejects(String expected, String header, int dataBytes) throws IOException {
        Path p = file(header, dataBytes);
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void malformedHeadersAreNamed() throws IOException {
        rejects("tensor 'w': dtype I64 is not supported (F32, F16 and BF16 are)",
                "{\"w\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", 16);
        rejects("tensor 'w': shape [3] of F32 needs 12 bytes, data_offsets [0,8] give 8",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
        rejects("tensor 'w': data_offsets [0,16] reach past the data area of 8 bytes",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);
        rejects("tensors 'a' [0, 8) and 'b' [4, 12) overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],"
                + "\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
        rejects("tensor 'w': expected \"dtype\"", "{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        rejects("the header is not valid JSON", "{\"w\": [", 0);
        rejects("__metadata__.format must be a string", "{\"__metadata__\":{\"format\":3}}", 0);
        Path p = dir.resolve("short.safetensors");
        Files.write(p, new byte[] {1, 2, 3});
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(p)).getMessage().contains("truncated"));
        Files.write(p, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array());
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(p)).getMessage()
                .contains("the header length 1000 does not fit a file of 16 bytes"));
    }

    @Test
    void truncationAnywhereIsDetected() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafeTensors.write(good, List.of(new SafeTensors.Tensor("a", new int[] {2, 3}, new float[6]),
                new SafeTensors.Tensor("b", new int[] {4}, new float[] {1, 2, 3, 4})), Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.safetensors");
        qt().withExamples(100).withFixedSeed(3).forAll(integers().between(0, bytes.length - 1)).checkAssert(n -> {
            try {
                Files.write(cut, Arrays.copyOf(bytes, n));
                IOException e = assertThrows(IOException.class, () -> SafeTensors.read(cut), "length " + n);
                assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
            } catch (IOException io) {
                throw new java.io.UncheckedIOException(io);
            }
        });
    }

    @Test
    void halfPrecisionIsWidenedOnLoad() throws IOException {
        // 1.0, -2.0 and 0.5 in F16 and BF16
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3800);
        data.putShort((short) 0x3F80).putShort((short) 0xC000).putShort((short) 0x3F00);
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[6,12]}}";
        Path p = file(header, 12);
        byte[] all = Files.readAllBytes(p);
        System.arraycopy(data.array(), 0, all, all.length - 12, 12);
        Files.write(p, all);
        SafeTensors t = SafeTensors.read(p);
        assertEquals(List.of(1f, -2f, 0.5f), boxed(t.get("h").values()));
        assertEquals(List.of(1f, -2f, 0.5f), boxed(t.get("b").values()));
    }

    private static List<Float> boxed(float[] a) {
        List<Float> out = new ArrayList<>();
        for (float v : a) {
            out.add(v);
        }
        return out;
    }

    @Test
    void weightsThatDoNotFitTheConfigAreListedByName() throws IOException {
        Path fixture = PyTorchFixturesTest.fixtures().resolve("lstm_1layer");
        SafeTensors weights = SafeTensors.read(fixture.resolve("model.safetensors"));
        RnnConfig twoLayers = new RnnConfig("LSTM", 5, 7, 2, true, false, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PyTorchRnn.load(new ScalarBackend(), twoLayers, weights, ""));
        assertTrue(e.getMessage().contains("missing tensor 'weight_ih_l1' [28, 7]"), e.getMessage());
        RnnConfig wider = new RnnConfig("LSTM", 6, 7, 1, true, false, false);
        e = assertThrows(IllegalArgumentException.class, () -> PyTorchRnn.load(new ScalarBackend(), wider, weights,
                ""));
        assertTrue(e.getMessage().contains("tensor 'weight_ih_l0' has shape [28, 5], expected [28, 6]"),
                e.getMessage());
        RnnConfig noBias = new RnnConfig("LSTM", 5, 7, 1, false, false, false);
        e = assertThrows(IllegalArgumentException.class, () -> PyTorchRnn.load(new ScalarBackend(), noBias, weights,
                ""));
        assertTrue(e.getMessage().contains("unexpected tensor 'bias_ih_l0' [28]"), e.getMessage());
        IllegalArgumentException gru = assertThrows(IllegalArgumentException.class,
                () -> RnnConfig.infer(weights, "", "GRU", false));
        assertTrue(gru.getMessage().contains("a GRU needs [3·hidden, hidden]; is the mode right?"), gru.getMessage());
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"mode\": \"LSTM\", \"hidden_size\": 8}");
        IOException c = assertThrows(IOException.class, () -> RnnConfig.read(config, weights, ""));
        assertTrue(c.getMessage().contains("disagrees with the weights"), c.getMessage());
        Files.writeString(config, "{\"hidden_size\": 7}");
        assertTrue(assertThrows(IOException.class, () -> RnnConfig.read(config, weights, "")).getMessage()
                .contains("needs \"mode\""));
    }

    @Test
    void npyRoundTripAndRefusals() throws IOException {
        Path p = dir.resolve("a.npy");
        Npy.write(p, new Npy.Array(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        Npy.Array a = Npy.read(p);
        assertEquals("[2, 3]", a.shapeText());
        assertEquals(List.of(1f, 2f, 3f, 4f, 5f, 6f), boxed(a.values()));
        assertEquals(0, (Files.size(p) - 24) % 64, "data aligned to 64 bytes");
        Npy.write(p, new Npy.Array(new int[] {4}, new float[] {1, 2, 3, 4}));
        assertEquals("[4]", Npy.read(p).shapeText());
        byte[] bytes = Files.readAllBytes(p);
        String header = new String(bytes, 10, bytes.length - 26, StandardCharsets.ISO_8859_1);
        Files.write(p, replace(bytes, header, header.replace("<f4", "<f8")));
        assertTrue(assertThrows(IOException.class, () -> Npy.read(p)).getMessage()
                .contains("dtype '<f8' is not supported; expected float32 ('<f4')"));
        Files.write(p, replace(bytes, header, header.replace("False", "True ")));
        assertTrue(assertThrows(IOException.class, () -> Npy.read(p)).getMessage()
                .contains("Fortran (column-major) order is not supported"));
        Files.write(p, Arrays.copyOf(bytes, bytes.length - 1));
        assertTrue(assertThrows(IOException.class, () -> Npy.read(p)).getMessage()
                .contains("needs 16 bytes of data, the file has 15"));
        Files.write(p, "not numpy".getBytes(StandardCharsets.UTF_8));
        assertTrue(assertThrows(IOException.class, () -> Npy.read(p)).getMessage().contains("not a NumPy .npy file"));
    }

    private static byte[] replace(byte[] bytes, String header, String replacement) {
        byte[] out = bytes.clone();
        byte[] r = replacement.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(r, 0, out, 10, r.length);
        return out;
    }
}
