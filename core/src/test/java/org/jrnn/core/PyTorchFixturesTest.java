package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.jrnn.spi.RnnActivation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jrnn's layers reproduce outputs that PyTorch's own CPU kernels computed ({@code ../shared/data/pytorch}, see
 * its README): the unidirectional cases, loaded with minimal test-only readers of safetensors and npy files.
 * The readers here only serve this test; the real importer is a later issue.
 */
class PyTorchFixturesTest {
    /** The fixtures' README: float32 implementations agree within about 3e-7; 1e-5 leaves margin. */
    private static final double TOLERANCE = 1e-5;

    private static Path caseDir(String name) {
        Path root = Path.of(System.getProperty("jrnn.shared", "../shared"), "data", "pytorch");
        Assumptions.assumeTrue(Files.isDirectory(root.resolve(name)), "PyTorch fixtures not found at "
                + root.toAbsolutePath().normalize() + ": this test needs ../shared/data/pytorch beside the repository"
                + " (set -Djrnn.shared=DIR to point elsewhere)");
        return root.resolve(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm_1layer", "gru_1layer", "rnn_tanh", "lstm_large", "lstm_long"})
    void matchesPyTorch(String name) throws IOException {
        Path dir = caseDir(name);
        String config = Files.readString(dir.resolve("config.json"));
        String mode = stringField(config, "mode");
        int input = intField(config, "input_size");
        int hidden = intField(config, "hidden_size");
        int layers = intField(config, "num_layers");
        int seq = intField(config, "seq_len");
        int batch = intField(config, "batch");
        Map<String, float[]> weights = safetensors(dir.resolve("model.safetensors"));
        float[] x = timeMajorToBatchMajor(npy(dir.resolve("input.npy")), seq, batch, input);
        float[] h0All = npy(dir.resolve("h0.npy"));
        float[] c0All = mode.equals("LSTM") ? npy(dir.resolve("c0.npy")) : null;
        Backend backend = Backends.get();
        float[] layerInput = x;
        int layerInputSize = input;
        float[] hN = new float[layers * batch * hidden];
        float[] cN = new float[layers * batch * hidden];
        for (int k = 0; k < layers; k++) {
            RecurrentLayer layer = switch (mode) {
                case "LSTM" -> new LstmLayer(backend, layerInputSize, hidden, OutputMode.SEQUENCE);
                case "GRU" -> new GruLayer(backend, layerInputSize, hidden, GruLayer.Form.RESET_AFTER,
                        OutputMode.SEQUENCE);
                case "RNN_TANH" -> new SimpleRnnLayer(backend, layerInputSize, hidden, RnnActivation.TANH,
                        OutputMode.SEQUENCE);
                default -> throw new AssertionError("unexpected mode " + mode);
            };
            for (String tensor : new String[] {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
                layer.parameters().set(tensor, weights.get(tensor + "_l" + k));
            }
            int bh = batch * hidden;
            float[] h0 = Arrays.copyOfRange(h0All, k * bh, (k + 1) * bh);
            float[] c0 = c0All == null ? null : Arrays.copyOfRange(c0All, k * bh, (k + 1) * bh);
            RecurrentOutput out = layer.forward(layerInput, batch, seq, null, h0, c0);
            System.arraycopy(out.hN(), 0, hN, k * bh, bh);
            if (out.cN() != null) {
                System.arraycopy(out.cN(), 0, cN, k * bh, bh);
            }
            layerInput = out.output().clone();
            layerInputSize = hidden;
        }
        float[] expected = timeMajorToBatchMajor(npy(dir.resolve("output.npy")), seq, batch, hidden);
        assertClose(expected, layerInput, name + " output");
        assertClose(npy(dir.resolve("h_n.npy")), hN, name + " h_n");
        if (c0All != null) {
            assertClose(npy(dir.resolve("c_n.npy")), cN, name + " c_n");
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > TOLERANCE) {
                throw new AssertionError(what + "[" + i + "] = " + actual[i] + ", PyTorch " + expected[i]);
            }
        }
    }

    private static float[] timeMajorToBatchMajor(float[] a, int seq, int batch, int features) {
        float[] out = new float[a.length];
        for (int t = 0; t < seq; t++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(a, (t * batch + b) * features, out, (b * seq + t) * features, features);
            }
        }
        return out;
    }

    private static String stringField(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("config has no string " + key);
        }
        return m.group(1);
    }

    private static int intField(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("config has no integer " + key);
        }
        return Integer.parseInt(m.group(1));
    }

    /** NumPy .npy version 1.0, little-endian float32, C order. */
    private static float[] npy(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = buf.getShort(8) & 0xffff;
        String header = new String(buf.array(), 10, headerLength, StandardCharsets.US_ASCII);
        if (!header.contains("'<f4'") || !header.contains("'fortran_order': False")) {
            throw new AssertionError(file + ": expected little-endian float32 in C order, found " + header);
        }
        int start = 10 + headerLength;
        float[] values = new float[(buf.capacity() - start) / 4];
        buf.position(start);
        buf.asFloatBuffer().get(values);
        return values;
    }

    /** safetensors: 8-byte little-endian header length, JSON header, then the F32 tensors. */
    private static Map<String, float[]> safetensors(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Math.toIntExact(buf.getLong(0));
        String header = new String(buf.array(), 8, headerLength, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\\{\\s*\"dtype\"\\s*:\\s*\"F32\"[^}]*?\"data_offsets\"\\s*:"
                + "\\s*\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]").matcher(header);
        Map<String, float[]> tensors = new HashMap<>();
        int base = 8 + headerLength;
        while (m.find()) {
            int begin = Integer.parseInt(m.group(2));
            int end = Integer.parseInt(m.group(3));
            float[] values = new float[(end - begin) / 4];
            buf.position(base + begin);
            buf.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            tensors.put(m.group(1), values);
        }
        return tensors;
    }
}
