package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input to models gets an exception naming what was expected and what was found. */
class ModelBadInputTest {
    private final Backend backend = Backends.get("scalar");
    private final SequenceModel tagger = SequenceModel.builder(backend).embedding(5, 3).gru(4, OutputMode.SEQUENCE)
            .softmax(3).build(1);
    private final SequenceModel classifier = SequenceModel.builder(backend).embedding(5, 3)
            .lstm(4, OutputMode.LAST).softmax(3).build(1);

    private static void rejects(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    @Test
    void unknownTokenIds() {
        rejects("embedding: token id at [1][0] must be in [0, 5), found 7",
                () -> tagger.forward(Batch.ofTokens(2, 2, new int[] {0, 1, 7, 2}, null).withClasses(new int[4]), true));
        rejects("embedding: token id at [0][1] must be in [0, 5), found -1",
                () -> tagger.predict(Batch.ofTokens(1, 2, new int[] {0, -1}, null)));
        // ids past a sequence's length are padding and never read
        tagger.predict(Batch.ofTokens(1, 2, new int[] {0, 99}, new int[] {1}));
    }

    @Test
    void emptySequencesAndLengthsPastTheTimeAxis() {
        rejects("batch: lengths[1] must be in [1, 3], found 0",
                () -> Batch.ofTokens(2, 3, new int[6], new int[] {3, 0}));
        rejects("batch: lengths[0] must be in [1, 3], found 4",
                () -> Batch.ofTokens(2, 3, new int[6], new int[] {4, 1}));
        rejects("batch: size and time must be >= 1, found size=1 time=0", () -> Batch.ofTokens(1, 0, new int[0], null));
        rejects("batch: sequence 1 is empty; every sequence needs at least one step",
                () -> Batching.tokens(List.of(new int[] {1}, new int[0]), new int[] {0, 1}));
        rejects("buckets: example 0 is empty (length 0); every sequence needs at least one step",
                () -> Batching.buckets(new int[] {0, 2}, 2, 1));
    }

    @Test
    void targetsThatDoNotFitTheModel() {
        rejects("model: target[1][0] must be a class in [0, 3) or -1, found 3",
                () -> tagger.forward(Batch.ofTokens(2, 2, new int[4], null).withClasses(new int[] {0, 1, 3, 0}), true));
        rejects("model: returns one prediction per step and needs [size=2][time=2] = 4 targets, found 2",
                () -> tagger.forward(Batch.ofTokens(2, 2, new int[4], null).withClasses(new int[2]), true));
        rejects("model: returns one prediction per sequence and needs 2 targets, found 4",
                () -> classifier.forward(Batch.ofTokens(2, 2, new int[4], null).withClasses(new int[4]), true));
        rejects("model: the output layer needs class-id targets, the batch has none",
                () -> classifier.forward(Batch.ofTokens(2, 2, new int[4], null), true));
        rejects("model: starts with an embedding and needs token ids, the batch has feature inputs",
                () -> classifier.predict(Batch.ofInputs(1, 1, new float[3], null)));
    }

    @Test
    void architecturesThatCannotWork() {
        rejects("model: stage 2 (LSTM(4 units, SEQUENCE)) follows a recurrent stage that returns only its last "
                + "step; give the earlier one OutputMode.SEQUENCE",
                () -> SequenceModel.builder(backend).embedding(5, 3).gru(4, OutputMode.LAST)
                        .lstm(4, OutputMode.SEQUENCE).softmax(2).build(1));
        rejects("dropout: rate must be in [0, 1), found 1.0",
                () -> SequenceModel.builder(backend).input(2).dropout(1f).rnn(3, OutputMode.LAST).regression(1)
                        .build(1));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SequenceModel.builder(backend).input(2)
                        .bidirectional(Cell.GRU, 3, OutputMode.SEQUENCE, Bidirectional.Merge.CONCAT).regression(1)
                        .build(1).carryState(true));
        assertEquals("model: state cannot be carried across batches through a bidirectional stage (its backward "
                + "direction needs the whole sequence)", e.getMessage());
    }
}
