package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint round trips (bit-identical outputs, optimizer state, vocabulary) and corruption detection. */
class CheckpointTest {
    private final Backend backend = Backends.get(System.getProperty("jrnn.backend", "scalar"));
    @TempDir
    Path dir;
    private SequenceModel model;
    private Vocabulary vocabulary;
    private Batch batch;
    private Adam adam;

    @BeforeEach
    void train() {
        vocabulary = Vocabulary.of(List.of("a", "b", "c", "d", "e", "f"));
        model = SequenceModel.builder(backend).embedding(6, 4).dropout(0.1f)
                .bidirectional(Cell.GRU, 5, OutputMode.SEQUENCE, Bidirectional.Merge.SUM)
                .lstm(3, OutputMode.SEQUENCE).hierarchicalSoftmax(new long[] {9, 1, 4, 4, 2, 7}).build(3);
        SplittableRandom r = new SplittableRandom(4);
        batch = Batch.ofTokens(2, 5, SequenceModelGradientTest.tokens(r, 10, 6), new int[] {5, 3})
                .withClasses(SequenceModelGradientTest.tokens(r, 10, 6));
        adam = new Adam(backend, 0.01f);
        Trainer trainer = new Trainer(model, adam);
        for (int i = 0; i < 3; i++) {
            trainer.step(batch);
        }
    }

    @Test
    void roundTripReproducesOutputsBitForBitAndRestoresTheOptimizer() throws IOException {
        Path file = dir.resolve("model.jrnn");
        Checkpoint.save(file, model, vocabulary, adam, java.util.Map.of("tokens", "characters", "by", "test"));
        Checkpoint.Loaded loaded = Checkpoint.load(file, backend);
        assertEquals(java.util.Map.of("by", "test", "tokens", "characters"), loaded.metadata());
        assertEquals(model.spec(), loaded.model().spec());
        assertEquals(vocabulary, loaded.vocabulary());
        assertArrayEquals(model.predict(batch).clone(), loaded.model().predict(batch));
        Adam resumed = new Adam(backend, 0.01f);
        loaded.restore(resumed);
        assertEquals(3, resumed.steps());
        // one more identical step on both sides gives identical parameters
        new Trainer(model, adam).step(batch);
        new Trainer(loaded.model(), resumed).step(batch);
        for (int i = 0; i < model.allParameters().size(); i++) {
            assertArrayEquals(model.allParameters().get(i).values(), loaded.model().allParameters().get(i).values(),
                    model.allParameters().get(i).owner());
        }
    }

    @Test
    void vocabularyMismatchAndWrongOptimizerAreReported() throws IOException {
        Path file = dir.resolve("model.jrnn");
        Checkpoint.save(file, model, vocabulary, adam);
        Checkpoint.Loaded loaded = Checkpoint.load(file, backend);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loaded.requireVocabulary(Vocabulary.of(List.of("a", "b", "x", "d", "e", "f"))));
        assertEquals("checkpoint: vocabulary mismatch: saved 6 words, expected 6; first difference at id 2: "
                + "'c' saved, 'x' expected", e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> loaded.restore(new RmsProp(backend, 0.1f)));
        assertEquals("checkpoint: the saved optimizer state is adam's, not rmsprop's", s.getMessage());
    }

    @Test
    void aFailedSaveLeavesThePreviousFileIntact() throws IOException {
        Path file = dir.resolve("model.jrnn");
        Checkpoint.save(file, model);
        byte[] before = Files.readAllBytes(file);
        SequenceModel broken = SequenceModel.builder(backend).embedding(6, 4).lstm(3, OutputMode.SEQUENCE)
                .softmax(6).build(1);
        // a vocabulary word too long for the format makes the save fail before anything is written
        Vocabulary huge = Vocabulary.of(List.of("x".repeat(70_000)));
        assertThrows(IOException.class, () -> Checkpoint.save(file, broken, huge, null));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void corruptionAtAnyBytePositionIsDetected() throws IOException {
        Path file = dir.resolve("model.jrnn");
        Checkpoint.save(file, model, vocabulary, adam);
        byte[] good = Files.readAllBytes(file);
        Path bad = dir.resolve("bad.jrnn");
        qt().withExamples(200).withFixedSeed(11).forAll(integers().between(0, good.length - 1),
                integers().between(1, 255)).checkAssert((position, flip) -> {
                    byte[] corrupt = good.clone();
                    corrupt[position] ^= flip.byteValue();
                    try {
                        Files.write(bad, corrupt);
                        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(bad, backend),
                                "a flipped byte at " + position + " was not detected");
                        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
                    } catch (IOException io) {
                        throw new java.io.UncheckedIOException(io);
                    }
                });
    }

    @Test
    void truncationAtAnyLengthIsDetected() throws IOException {
        Path file = dir.resolve("model.jrnn");
        Checkpoint.save(file, model);
        byte[] good = Files.readAllBytes(file);
        Path bad = dir.resolve("short.jrnn");
        for (int n = 0; n < good.length; n += Math.max(1, good.length / 97)) {
            Files.write(bad, java.util.Arrays.copyOf(good, n));
            IOException e = assertThrows(IOException.class, () -> Checkpoint.load(bad, backend), "length " + n);
            assertFalse(e.getMessage().isBlank());
        }
        Files.write(bad, "not a checkpoint at all, just text".getBytes());
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(bad, backend));
        assertTrue(e.getMessage().contains("not a jrnn checkpoint"), e.getMessage());
    }

    @Test
    void anotherFormatVersionIsNamed() throws IOException {
        Path file = dir.resolve("model.jrnn");
        Checkpoint.save(file, model);
        byte[] bytes = Files.readAllBytes(file);
        bytes[11] = 7;
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(file, backend));
        assertTrue(e.getMessage().endsWith("checkpoint format version 7, this jrnn reads version 1"), e.getMessage());
    }

    @Test
    void encoderDecoderRoundTripAndKindMismatch() throws IOException {
        EncoderDecoder seq2seq = new EncoderDecoder(backend, Cell.GRU, 5, 7, 3, 6, 2, 9);
        SplittableRandom r = new SplittableRandom(10);
        List<int[]> sources = Tasks.sequences(r, 4, 5, 1, 4);
        List<int[]> targets = Tasks.sequences(r, 4, 5, 1, 4);
        int[] all = {0, 1, 2, 3};
        Batch source = Batching.tokens(sources, all);
        Batch target = EncoderDecoder.teacherForcing(targets, all, 5, 6);
        RmsProp rmsProp = new RmsProp(backend, 0.01f);
        for (int i = 0; i < 2; i++) {
            seq2seq.zeroGradients();
            seq2seq.forward(source, target, true);
            seq2seq.backward();
            rmsProp.step(seq2seq.parameters());
        }
        Vocabulary in = Vocabulary.of(List.of("a", "b", "c", "d", "e"));
        Vocabulary out = Vocabulary.of(List.of("A", "B", "C", "D", "E", "<s>", "</s>"));
        Path file = dir.resolve("seq2seq.jrnn");
        Checkpoint.save(file, seq2seq, in, out, rmsProp);
        Checkpoint.LoadedEncoderDecoder loaded = Checkpoint.loadEncoderDecoder(file, backend);
        loaded.requireVocabularies(in, out);
        assertEquals(seq2seq.forward(source, target, false), loaded.model().forward(source, target, false), 0);
        assertArrayEquals(seq2seq.greedy(sources.get(0), 5, 6, 6), loaded.model().greedy(sources.get(0), 5, 6, 6));
        RmsProp resumed = new RmsProp(backend, 0.01f);
        loaded.restore(resumed);
        assertEquals(2, resumed.steps());
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(file, backend));
        assertEquals(file + ": this file holds kind 'encoder-decoder', not 'sequence-model'; load it with "
                + "Checkpoint.loadEncoderDecoder", e.getMessage());
    }
}
