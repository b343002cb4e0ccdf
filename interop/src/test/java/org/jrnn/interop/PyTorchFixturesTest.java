package org.jrnn.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jrnn.scalar.ScalarBackend;
import org.jrnn.simd.SimdBackend;
import org.jrnn.spi.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture PyTorch computed ({@code ../shared/data/pytorch}, see its README) is reproduced on every backend
 * — the scalar reference and SIMD at 128, 256 and 512 bits — through the real importer: outputs and final
 * states within 1e-5 (1e-4 for the 200-step case). The fixtures are required: without them these tests fail.
 */
class PyTorchFixturesTest {
    static final List<String> CASES = List.of("lstm_1layer", "lstm_2layer_bidir", "gru_1layer", "gru_2layer_bidir",
            "rnn_tanh", "lstm_large", "lstm_long");

    static Path fixtures() {
        Path root = Path.of(System.getProperty("jrnn.shared", "../shared"), "data", "pytorch");
        assertTrue(Files.isDirectory(root), "PyTorch fixtures not found at " + root.toAbsolutePath().normalize()
                + ": these tests need ../shared/data/pytorch beside the repository (or -Djrnn.shared=DIR)");
        return root;
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String name : CASES) {
            for (String backend : List.of("scalar", "simd128", "simd256", "simd512")) {
                all.add(Arguments.of(name, backend));
            }
        }
        return all.stream();
    }

    static Backend backend(String name) {
        return name.equals("scalar") ? new ScalarBackend() : new SimdBackend(Integer.parseInt(name.substring(4)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void reproducesPyTorch(String name, String backendName) throws IOException {
        Path dir = fixtures().resolve(name);
        SafeTensors weights = SafeTensors.read(dir.resolve("model.safetensors"));
        RnnConfig config = RnnConfig.read(dir.resolve("config.json"), weights, "");
        PyTorchRnn rnn = PyTorchRnn.load(backend(backendName), config, weights, "");
        Npy.Array input = Npy.read(dir.resolve("input.npy"));
        int seq = config.batchFirst() ? input.shape()[1] : input.shape()[0];
        int batch = config.batchFirst() ? input.shape()[0] : input.shape()[1];
        assertArrayEquals(rnn.inputShape(seq, batch), input.shape());
        boolean lstm = config.mode().equals("LSTM");
        PyTorchRnn.Result result = rnn.forward(input.values(), seq, batch, Npy.read(dir.resolve("h0.npy")).values(),
                lstm ? Npy.read(dir.resolve("c0.npy")).values() : null);
        double tolerance = seq >= 100 ? 1e-4 : 1e-5;
        Npy.Array output = Npy.read(dir.resolve("output.npy"));
        assertArrayEquals(rnn.outputShape(seq, batch), output.shape());
        assertClose(name + " output", output.values(), result.output(), tolerance);
        assertClose(name + " h_n", Npy.read(dir.resolve("h_n.npy")).values(), result.hN(), tolerance);
        if (lstm) {
            assertClose(name + " c_n", Npy.read(dir.resolve("c_n.npy")).values(), result.cN(), tolerance);
        }
    }

    static void assertClose(String what, float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, what + " length");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= tolerance, what + ": max |error| " + worst + " > " + tolerance);
    }

    @TempDir
    Path temp;

    @ParameterizedTest
    @MethodSource("names")
    void importExportImportIsBitIdentical(String name) throws IOException {
        Path dir = fixtures().resolve(name);
        SafeTensors weights = SafeTensors.read(dir.resolve("model.safetensors"));
        RnnConfig config = RnnConfig.read(dir.resolve("config.json"), weights, "");
        PyTorchRnn rnn = PyTorchRnn.load(new ScalarBackend(), config, weights, "");
        Path exported = temp.resolve(name + ".safetensors");
        SafeTensors.write(exported, rnn.export(""), weights.metadata());
        SafeTensors again = SafeTensors.read(exported);
        assertEquals(List.copyOf(weights.tensors().keySet()), List.copyOf(again.tensors().keySet()),
                "same names in PyTorch's order");
        for (SafeTensors.Tensor t : weights.tensors().values()) {
            assertArrayEquals(t.shape(), again.get(t.name()).shape(), t.name());
            assertArrayEquals(t.values(), again.get(t.name()).values(), t.name());
        }
        assertEquals(weights.metadata(), again.metadata());
        PyTorchRnn reloaded = PyTorchRnn.load(new ScalarBackend(), config, again, "");
        for (int k = 0; k < config.numLayers(); k++) {
            for (int d = 0; d < config.directions(); d++) {
                assertArrayEquals(rnn.layer(k, d).parameters().values(), reloaded.layer(k, d).parameters().values());
            }
        }
        // the file PyTorch wrote and ours hold the same bytes of data (headers may differ in key order)
        long size = Files.size(dir.resolve("model.safetensors"));
        assertTrue(Math.abs(size - Files.size(exported)) < 512, size + " vs " + Files.size(exported));
    }

    static Stream<String> names() {
        return CASES.stream();
    }

    @Test
    void theConfigMayLeaveOutWhatTheWeightsTell() throws IOException {
        Path dir = fixtures().resolve("lstm_2layer_bidir");
        SafeTensors weights = SafeTensors.read(dir.resolve("model.safetensors"));
        Path minimal = temp.resolve("config.json");
        Files.writeString(minimal, "{\"mode\": \"LSTM\", \"batch_first\": true}");
        RnnConfig inferred = RnnConfig.read(minimal, weights, "");
        assertEquals(RnnConfig.read(dir.resolve("config.json"), weights, ""), inferred);
        assertEquals(new RnnConfig("LSTM", 4, 6, 2, true, true, true), inferred);
    }
}
