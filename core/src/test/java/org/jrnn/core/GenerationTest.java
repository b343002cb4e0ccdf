package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.jrnn.tck.GradientChecker;
import org.junit.jupiter.api.Test;

/** Sampling, greedy decoding and beam search; the step-by-step runner against the batch forward pass. */
class GenerationTest {
    private final Backend backend = Backends.get("scalar");
    private final SequenceModel model = SequenceModel.builder(backend).embedding(6, 4).lstm(8, OutputMode.SEQUENCE)
            .dropout(0.5f).gru(5, OutputMode.SEQUENCE).softmax(6).build(3);

    /** The model's log-probability of {@code tokens} following {@code prime}, by the batch forward pass. */
    private double score(int[] prime, int[] tokens) {
        int time = prime.length + tokens.length - 1;
        int[] in = new int[time];
        System.arraycopy(prime, 0, in, 0, prime.length);
        System.arraycopy(tokens, 0, in, prime.length, tokens.length - 1);
        float[] logProbs = model.predict(Batch.ofTokens(1, time, in, null));
        double sum = 0;
        for (int i = 0; i < tokens.length; i++) {
            sum += logProbs[(prime.length - 1 + i) * 6 + tokens[i]];
        }
        return sum;
    }

    @Test
    void stepperAgreesWithTheBatchForwardPass() {
        int[] tokens = {1, 4, 0, 5, 2};
        float[] batch = model.predict(Batch.ofTokens(1, 5, tokens, null)).clone();
        SequenceModel.Stepper stepper = model.stepper(1);
        for (int t = 0; t < 5; t++) {
            float[] step = stepper.step(new int[] {tokens[t]});
            for (int c = 0; c < 6; c++) {
                assertEquals(batch[t * 6 + c], step[c], 1e-6, "step " + t + " class " + c);
            }
        }
    }

    @Test
    void samplingIsSeededAndItsScoreIsTheModels() {
        int[] prime = {2, 3};
        Generation.Sampling sampling = new Generation.Sampling(1f, 0, 42);
        Generation.Sequence a = Generation.generate(model, prime, 12, sampling);
        Generation.Sequence b = Generation.generate(model, prime, 12, sampling);
        assertArrayEquals(a.tokens(), b.tokens());
        assertEquals(score(prime, a.tokens()), a.logProbability(), 1e-4);
        Generation.Sequence other = Generation.generate(model, prime, 12, new Generation.Sampling(1f, 0, 43));
        assertNotEquals(java.util.Arrays.toString(a.tokens()), java.util.Arrays.toString(other.tokens()));
    }

    @Test
    void topOneAndZeroTemperatureAreGreedy() {
        int[] prime = {1};
        int[] greedy = Generation.generate(model, prime, 10, Generation.Sampling.greedy()).tokens();
        int[] topOne = Generation.generate(model, prime, 10, new Generation.Sampling(1.5f, 1, 7)).tokens();
        assertArrayEquals(greedy, topOne);
        // each greedy token is the argmax after the tokens before it
        SequenceModel.Stepper stepper = model.stepper(1);
        float[] p = stepper.step(prime);
        for (int token : greedy) {
            for (int c = 0; c < 6; c++) {
                assertTrue(p[c] <= p[token]);
            }
            p = stepper.step(new int[] {token});
        }
    }

    @Test
    void topKSamplesOnlyAmongTheKMostLikely() {
        float[] logProbs = {-3f, -0.5f, -4f, -1.2f, -2f};
        SplittableRandom r = new SplittableRandom(1);
        int[] seen = new int[5];
        for (int i = 0; i < 2000; i++) {
            seen[Generation.choose(logProbs, 0, 5, new Generation.Sampling(1f, 2, 0), r)]++;
        }
        assertEquals(0, seen[0] + seen[2] + seen[4], java.util.Arrays.toString(seen));
        // within the top 2, frequencies follow exp(logp): p1 / (p1 + p3) = 0.668
        assertEquals(0.668, seen[1] / 2000.0, 0.04);
        // a high temperature flattens the distribution
        int[] hot = new int[5];
        for (int i = 0; i < 5000; i++) {
            hot[Generation.choose(logProbs, 0, 5, new Generation.Sampling(100f, 0, 0), r)]++;
        }
        for (int c = 0; c < 5; c++) {
            assertEquals(1000, hot[c], 150, java.util.Arrays.toString(hot));
        }
    }

    @Test
    void beamSearchFindsLikelierSequencesThanGreedyAndReportsTheirScore() {
        int[] prime = {0, 3};
        Generation.Sequence greedy = Generation.generate(model, prime, 6, Generation.Sampling.greedy());
        Generation.Sequence beamOne = Generation.beamSearch(model, prime, 6, 1, -1);
        assertArrayEquals(greedy.tokens(), beamOne.tokens(), "a beam of width 1 is greedy decoding");
        Generation.Sequence wide = Generation.beamSearch(model, prime, 6, 8, -1);
        assertEquals(6, wide.tokens().length);
        assertEquals(score(prime, wide.tokens()), wide.logProbability(), 1e-4);
        assertTrue(wide.logProbability() >= greedy.logProbability() - 1e-6,
                "beam " + wide.logProbability() + " vs greedy " + greedy.logProbability());
        // an end token finishes a beam early
        Generation.Sequence ended = Generation.beamSearch(model, prime, 6, 4, wide.tokens()[0]);
        assertTrue(ended.tokens().length >= 1 && ended.tokens().length <= 6);
    }

    @Test
    void generationRejectsWhatItCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> Generation.generate(model, new int[0], 3,
                Generation.Sampling.greedy()));
        assertThrows(IllegalArgumentException.class, () -> Generation.generate(model, new int[] {9}, 3,
                Generation.Sampling.greedy()));
        SequenceModel bidirectional = SequenceModel.builder(backend).embedding(6, 4)
                .bidirectional(Cell.LSTM, 3, OutputMode.SEQUENCE, Bidirectional.Merge.SUM).softmax(6).build(1);
        assertThrows(IllegalStateException.class, () -> bidirectional.stepper(1));
        assertThrows(IllegalArgumentException.class, () -> new Generation.Sampling(-1f, 0, 0));
    }

    @Test
    void encoderDecoderGradientsMatchCentralDifferences() {
        EncoderDecoder seq2seq = new EncoderDecoder(backend, Cell.LSTM, 5, 6, 3, 4, 2, 1);
        SplittableRandom r = new SplittableRandom(2);
        java.util.List<int[]> sources = Tasks.sequences(r, 3, 5, 1, 4);
        java.util.List<int[]> targets = Tasks.sequences(r, 3, 4, 1, 3);
        int[] all = {0, 1, 2};
        Batch source = Batching.tokens(sources, all);
        Batch target = EncoderDecoder.teacherForcing(targets, all, 4, 5);
        GradientChecker.Report report = ModelGradients.check(seq2seq.parameters(), seq2seq::zeroGradients,
                () -> seq2seq.forward(source, target, true), seq2seq::backward);
        GradientChecker.assertPassed("encoder-decoder", report);
        EncoderDecoder gru = new EncoderDecoder(backend, Cell.GRU, 5, 6, 3, 4, 1, 3);
        GradientChecker.assertPassed("GRU encoder-decoder", ModelGradients.check(gru.parameters(),
                gru::zeroGradients, () -> gru.forward(source, target, true), gru::backward));
    }
}
