package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.junit.jupiter.api.Test;

/**
 * Seeded learning tests, each a few seconds: the adding problem solved by an LSTM, a sequence classifier on
 * variable-length bucketed batches, and an encoder–decoder that learns to reverse sequences.
 */
class LearningTest {
    private final Backend backend = Backends.get();

    @Test
    void lstmSolvesTheAddingProblemAtLength10() {
        SequenceModel model = SequenceModel.builder(backend).input(2).lstm(24, OutputMode.LAST).regression(1)
                .build(1);
        SplittableRandom r = new SplittableRandom(2);
        List<Batch> training = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            training.add(AddingProblem.batch(r, 32, 10));
        }
        List<Batch> validation = List.of(AddingProblem.batch(r, 256, 10));
        Trainer trainer = new Trainer(model, new Adam(backend, 0.01f)).clipNorm(1f);
        double before = trainer.evaluate(validation);
        List<TrainingListener.Epoch> history = trainer.fit(training, validation, 20);
        double after = history.get(history.size() - 1).validationLoss();
        assertTrue(after < 0.01, "validation MSE " + after + " (before " + before + ", baseline 0.167) " + history);
    }

    @Test
    void gruClassifiesVariableLengthSequencesByTheirFirstToken() {
        SplittableRandom r = new SplittableRandom(3);
        List<int[]> sequences = Tasks.sequences(r, 600, 5, 2, 12);
        int[] labels = sequences.stream().mapToInt(s -> s[0] % 3).toArray();
        int[] lengths = sequences.stream().mapToInt(s -> s.length).toArray();
        List<Batch> training = new ArrayList<>();
        for (int[] group : Batching.buckets(java.util.Arrays.copyOf(lengths, 500), 25, 4)) {
            training.add(Batching.tokens(sequences, group).withClasses(Batching.labels(labels, group)));
        }
        int[] held = java.util.stream.IntStream.range(500, 600).toArray();
        Batch test = Batching.tokens(sequences, held).withClasses(Batching.labels(labels, held));
        SequenceModel model = SequenceModel.builder(backend).embedding(5, 8).gru(16, OutputMode.LAST).softmax(3)
                .build(5);
        new Trainer(model, new RmsProp(backend, 0.01f)).shuffle(6).fit(training, List.of(), 15);
        float[] logProbs = model.predict(test);
        int correct = 0;
        for (int b = 0; b < held.length; b++) {
            int best = 0;
            for (int c = 1; c < 3; c++) {
                if (logProbs[b * 3 + c] > logProbs[b * 3 + best]) {
                    best = c;
                }
            }
            correct += best == test.classes()[b] ? 1 : 0;
        }
        assertTrue(correct >= 95, correct + " of 100 held-out sequences classified correctly");
        assertTrue(Batching.paddingFraction(training) < 0.05, "bucketing wastes "
                + Batching.paddingFraction(training) + " of the steps on padding");
    }

    @Test
    void encoderDecoderLearnsToReverseSequences() {
        int symbols = 6;
        int start = symbols;
        int end = symbols + 1;
        SplittableRandom r = new SplittableRandom(7);
        List<int[]> sources = Tasks.sequences(r, 1200, symbols, 2, 5);
        List<int[]> targets = new ArrayList<>();
        for (int[] s : sources) {
            int[] t = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                t[i] = s[s.length - 1 - i];
            }
            targets.add(t);
        }
        EncoderDecoder model = new EncoderDecoder(backend, Cell.LSTM, symbols, symbols + 2, 8, 48, 1, 8);
        Adam adam = new Adam(backend, 0.01f);
        List<int[]> groups = Batching.buckets(sources.subList(0, 1000).stream().mapToInt(s -> s.length).toArray(),
                32, 9);
        for (int epoch = 0; epoch < 12; epoch++) {
            for (int[] g : groups) {
                model.zeroGradients();
                model.forward(Batching.tokens(sources, g), EncoderDecoder.teacherForcing(targets, g, start, end), true);
                model.backward();
                Clipping.byGlobalNorm(backend, model.parameters(), 1f);
                adam.step(model.parameters());
            }
        }
        int exact = 0;
        int beamExact = 0;
        for (int i = 1000; i < 1100; i++) {
            int[] greedy = model.greedy(sources.get(i), start, end, 8);
            exact += java.util.Arrays.equals(greedy, targets.get(i)) ? 1 : 0;
            Generation.Sequence beam = model.beamSearch(sources.get(i), start, end, 8, 3);
            beamExact += java.util.Arrays.equals(beam.tokens(), targets.get(i)) ? 1 : 0;
        }
        assertTrue(exact >= 90, exact + " of 100 held-out sequences reversed exactly by greedy decoding");
        assertTrue(beamExact >= exact - 2, "beam search " + beamExact + " vs greedy " + exact);
        assertEquals(model.greedy(sources.get(1000), start, end, 8).length, targets.get(1000).length);
    }
}
