package org.jrnn.cli;

import static org.jrnn.cli.CliTest.jrnn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jrnn.interop.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jrnn infer} on a PyTorch fixture, and {@code jrnn convert} both ways. */
class InteropCommandsTest {
    @TempDir
    Path dir;

    static Path fixture(String name) {
        Path root = Path.of(System.getProperty("jrnn.shared", "../shared"), "data", "pytorch", name);
        assertTrue(Files.isDirectory(root), "PyTorch fixtures not found at " + root.toAbsolutePath().normalize()
                + ": this test needs ../shared/data/pytorch beside the repository (or -Djrnn.shared=DIR)");
        return root;
    }

    @Test
    void inferReproducesABidirectionalLstmFixture() throws IOException {
        Path f = fixture("lstm_2layer_bidir");
        Path y = dir.resolve("y.npy");
        Path hN = dir.resolve("hn.npy");
        Path cN = dir.resolve("cn.npy");
        CliTest.Result r = jrnn("infer", "--weights", f.resolve("model.safetensors").toString(), "--config",
                f.resolve("config.json").toString(), "--input", f.resolve("input.npy").toString(), "--h0",
                f.resolve("h0.npy").toString(), "--c0", f.resolve("c0.npy").toString(), "--output", y.toString(),
                "--h-n", hN.toString(), "--c-n", cN.toString());
        assertEquals(0, r.code(), r.toString());
        assertClose(Npy.read(f.resolve("output.npy")), Npy.read(y));
        assertClose(Npy.read(f.resolve("h_n.npy")), Npy.read(hN));
        assertClose(Npy.read(f.resolve("c_n.npy")), Npy.read(cN));
    }

    private static void assertClose(Npy.Array expected, Npy.Array actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        for (int i = 0; i < expected.values().length; i++) {
            assertEquals(expected.values()[i], actual.values()[i], 1e-5, "element " + i);
        }
    }

    @Test
    void inferErrors() throws IOException {
        Path f = fixture("gru_1layer");
        String weights = f.resolve("model.safetensors").toString();
        String config = f.resolve("config.json").toString();
        CliTest.Result r = jrnn("infer", "--weights", weights, "--config", config, "--input",
                f.resolve("input.npy").toString(), "--c0", f.resolve("h0.npy").toString(), "--output",
                dir.resolve("y.npy").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--c0 and --c-n are for the LSTM; this is a GRU"), r.err());
        Path wrong = dir.resolve("x.npy");
        Npy.write(wrong, new Npy.Array(new int[] {2, 3, 4}, new float[24]));
        r = jrnn("infer", "--weights", weights, "--config", config, "--input", wrong.toString(), "--output",
                dir.resolve("y.npy").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("has shape [2, 3, 4], expected [seq, batch, 5]"), r.err());
        Path badH0 = dir.resolve("h0.npy");
        Npy.write(badH0, new Npy.Array(new int[] {1, 2, 7}, new float[14]));
        r = jrnn("infer", "--weights", weights, "--config", config, "--input", f.resolve("input.npy").toString(),
                "--h0", badH0.toString(), "--output", dir.resolve("y.npy").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("(h0) has shape [1, 2, 7], expected [1, 3, 7]"), r.err());
    }

    @Test
    void convertToPyTorchAndBackGivesTheSameModel() throws IOException {
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, DefaultCorpus.text().substring(0, 4000), StandardCharsets.UTF_8);
        Path out = dir.resolve("run");
        assertEquals(0, jrnn("train", "--corpus", corpus.toString(), "--epochs", "1", "--layers", "2", "--cell", "gru",
                "--hidden", "8", "--embedding", "6", "--seq-length", "8", "--batch", "2", "--output", out.toString(),
                "--progress", "log").code());
        Path model = out.resolve("model.jrnn");
        Path pt = dir.resolve("lm.safetensors");
        CliTest.Result r = jrnn("convert", "--from", model.toString(), "--to", pt.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.readString(dir.resolve("lm.config.json")).contains("\"mode\" : \"GRU\""));
        Path back = dir.resolve("back.jrnn");
        r = jrnn("convert", "--from", pt.toString(), "--to", back.toString());
        assertEquals(0, r.code(), r.toString());
        CliTest.Result a = jrnn("sample", "--checkpoint", model.toString(), "--length", "60", "--seed", "3");
        CliTest.Result b = jrnn("sample", "--checkpoint", back.toString(), "--length", "60", "--seed", "3");
        assertEquals(0, b.code(), b.toString());
        assertEquals(a.out(), b.out(), "the converted model samples the same text");
        CliTest.Result e1 = jrnn("eval", "--checkpoint", model.toString(), "--corpus", corpus.toString());
        CliTest.Result e2 = jrnn("eval", "--checkpoint", back.toString(), "--corpus", corpus.toString());
        assertEquals(e1.out().replace(model.toString(), ""), e2.out().replace(back.toString(), ""));
        r = jrnn("convert", "--from", fixture("lstm_1layer").resolve("model.safetensors").toString(), "--to",
                dir.resolve("x.jrnn").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("holds no language model"), r.err());
        r = jrnn("convert", "--from", model.toString(), "--to", dir.resolve("x.bin").toString());
        assertEquals(2, r.code(), r.toString());
    }
}
