package org.jrnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Every command end to end on small inputs, in process, with its exit code and output. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliTest {
    @TempDir
    static Path dir;
    static Path corpus;
    static Path run;

    /** What one invocation printed and returned. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    static Result jrnn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Jrnn.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void tinyCorpus() throws IOException {
        corpus = dir.resolve("tiny.txt");
        Files.writeString(corpus, DefaultCorpus.text().substring(0, 6000), StandardCharsets.UTF_8);
        run = dir.resolve("run");
    }

    @Test
    @Order(1)
    void trainWritesCheckpointPlotAndSampleWithPlainLogLines() throws IOException {
        Result r = jrnn("train", "--corpus", corpus.toString(), "--time", "3s", "--epochs", "2", "--hidden", "16",
                "--embedding", "8", "--seq-length", "16", "--batch", "4", "--progress", "log", "--sample-length", "40",
                "--output", run.toString(), "--backend", "scalar");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("validation"), r.out());
        assertTrue(r.out().contains("bits per character"), r.out());
        assertFalse(r.out().contains("\r"), "no carriage returns when not on a terminal");
        assertTrue(Files.size(run.resolve("model.jrnn")) > 1000);
        byte[] png = Files.readAllBytes(run.resolve("loss.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4), "a PNG file");
        assertEquals(40, Files.readString(run.resolve("sample.txt")).codePointCount(0,
                Files.readString(run.resolve("sample.txt")).length()));
    }

    @Test
    @Order(2)
    void sampleContinuesThePrimeReproducibly() {
        String checkpoint = run.resolve("model.jrnn").toString();
        Result a = jrnn("sample", "--checkpoint", checkpoint, "--prime", "ADA:\n", "--length", "30", "--seed", "7");
        Result b = jrnn("sample", "--checkpoint", checkpoint, "--prime", "ADA:\n", "--length", "30", "--seed", "7");
        assertEquals(0, a.code(), a.toString());
        assertTrue(a.out().startsWith("ADA:\n"), a.out());
        assertEquals(a.out(), b.out(), "seeded");
        Result beam = jrnn("sample", "--checkpoint", checkpoint, "--length", "10", "--beam", "3");
        assertEquals(0, beam.code(), beam.toString());
    }

    @Test
    @Order(3)
    void evalReportsNatsAndBits() {
        Result r = jrnn("eval", "--checkpoint", run.resolve("model.jrnn").toString(), "--corpus", corpus.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().matches("(?s).*nats per character, [0-9.]+ bits per character, perplexity [0-9.]+\\s*"),
                r.out());
    }

    @Test
    void wordLevelTrainingAndSampling() {
        Path words = dir.resolve("words");
        Result r = jrnn("train", "--corpus", corpus.toString(), "--level", "word", "--time", "2s", "--epochs", "1",
                "--hidden", "8", "--embedding", "8", "--seq-length", "8", "--batch", "2", "--progress", "log",
                "--sample-length", "10", "--output", words.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("bits per word"), r.out());
        Result s = jrnn("sample", "--checkpoint", words.resolve("model.jrnn").toString(), "--prime", "ADA",
                "--length", "5");
        assertEquals(0, s.code(), s.toString());
        assertTrue(s.out().startsWith("ADA"), s.out());
    }

    @Test
    void theAddingExperimentAtATinyBudget() throws IOException {
        Path out = dir.resolve("adding");
        Result r = jrnn("experiment", "adding", "--lengths", "4,6", "--steps", "10", "--eval-every", "5",
                "--hidden", "4", "--batch", "4", "--output", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("baseline"), r.out());
        assertTrue(r.out().matches("(?s).*\\n4\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+\\s+0\\.167.*"), r.out());
        assertTrue(Files.size(out.resolve("adding.png")) > 1000);
    }

    @Test
    void backendsAndBench() {
        Result b = jrnn("backends");
        assertEquals(0, b.code(), b.toString());
        assertTrue(b.out().contains("scalar (priority 0): available"), b.out());
        assertTrue(b.out().contains("simd (priority 100)"), b.out());
        assertTrue(b.out().contains("selected: name="), b.out());
        Result q = jrnn("bench", "--hidden", "8", "--batch", "1,2", "--seconds", "0.01");
        assertEquals(0, q.code(), q.toString());
        assertTrue(q.out().contains("bench/run LstmStep"), q.out());
        assertEquals(2, q.out().lines().filter(l -> l.startsWith("8 ")).count(), q.out());
    }

    @Test
    void helpAndVersion() {
        Result help = jrnn("--help");
        assertEquals(0, help.code());
        for (String command : new String[] {"train", "sample", "eval", "experiment", "backends", "bench"}) {
            assertTrue(help.out().contains(command), help.out());
        }
        assertEquals(0, jrnn("train", "--help").code());
        assertTrue(jrnn("--version").out().startsWith("jrnn "));
        assertEquals(0, jrnn().code(), "no command prints the usage");
    }
}
