package org.jrnn.cli;

import static org.jrnn.cli.CliTest.jrnn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every error path prints one line naming the problem and exits 1 (failure) or 2 (usage), without a stack trace. */
class CliErrorsTest {
    @TempDir
    Path dir;

    private static void fails(int code, String expected, String... args) {
        CliTest.Result r = jrnn(args);
        assertEquals(code, r.code(), r.toString());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        fails(2, "Unknown option: '--nonsense'", "train", "--nonsense");
        fails(2, "--hidden must be >= 1, found 0", "train", "--hidden", "0");
        fails(2, "'abc' is not a duration", "train", "--time", "abc");
        fails(2, "--level must be char or word, found 'bytes'", "train", "--level", "bytes");
        fails(2, "--dropout must be in [0, 1), found 1.5", "train", "--dropout", "1.5");
        fails(2, "--schedule cosine needs --epochs", "train", "--schedule", "cosine");
        fails(2, "Invalid value for option '--cell'", "train", "--cell", "transformer");
        fails(2, "Missing required option: '--checkpoint=FILE'", "sample");
        fails(2, "name an experiment: adding", "experiment");
        fails(2, "Unmatched argument", "fly");
    }

    @Test
    void corpusProblemsExitWithOne() throws IOException {
        fails(1, "corpus " + dir.resolve("missing.txt") + " does not exist", "train", "--corpus",
                dir.resolve("missing.txt").toString());
        Path binary = dir.resolve("binary.bin");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        fails(1, "is not UTF-8 text", "train", "--corpus", binary.toString());
        Path tiny = dir.resolve("tiny.txt");
        Files.writeString(tiny, "just a few characters", StandardCharsets.UTF_8);
        fails(1, "has 21 characters; with --validation 0.1 and --seq-length 64 it needs at least 650", "train",
                "--corpus", tiny.toString());
        fails(1, "jrnn train: backend 'gpu'", "train", "--backend", "gpu", "--corpus", tiny.toString());
    }

    @Test
    void checkpointProblemsExitWithOne() throws IOException {
        fails(1, "checkpoint " + dir.resolve("none.jrnn") + " does not exist", "sample", "--checkpoint",
                dir.resolve("none.jrnn").toString());
        Path text = dir.resolve("text.jrnn");
        Files.writeString(text, "this is not a checkpoint, only some text", StandardCharsets.UTF_8);
        fails(1, "not a jrnn checkpoint", "sample", "--checkpoint", text.toString());
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, DefaultCorpus.text().substring(0, 3000), StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        assertEquals(0, jrnn("train", "--corpus", corpus.toString(), "--epochs", "1", "--hidden", "4", "--embedding",
                "4", "--seq-length", "8", "--batch", "2", "--output", out.toString(), "--progress", "log").code());
        Path model = out.resolve("model.jrnn");
        byte[] bytes = Files.readAllBytes(model);
        byte[] otherVersion = bytes.clone();
        otherVersion[11] = 9;
        Path old = dir.resolve("old.jrnn");
        Files.write(old, otherVersion);
        fails(1, "checkpoint format version 9, this jrnn reads version 1", "eval", "--checkpoint", old.toString(),
                "--corpus", corpus.toString());
        byte[] corrupt = bytes.clone();
        corrupt[bytes.length / 2] ^= 0x40;
        Path bad = dir.resolve("bad.jrnn");
        Files.write(bad, corrupt);
        fails(1, "corrupt: checksum mismatch", "sample", "--checkpoint", bad.toString());
        fails(1, "--prime: character '\u00e9' at token 3 is not in the model's vocabulary of", "sample",
                "--checkpoint", model.toString(), "--prime", "abc\u00e9");
        Path other = dir.resolve("other.txt");
        Files.writeString(other, "ABC\u00e9\u00e9\u00e9", StandardCharsets.UTF_8);
        fails(1, "is not in the model's vocabulary", "eval", "--checkpoint", model.toString(), "--corpus",
                other.toString());
    }

    @Test
    void verbosePrintsTheStackTrace() {
        CliTest.Result r = jrnn("--verbose", "sample", "--checkpoint", dir.resolve("none.jrnn").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }
}
