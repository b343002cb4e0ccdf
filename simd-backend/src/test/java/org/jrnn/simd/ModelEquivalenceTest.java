package org.jrnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.jrnn.core.Adam;
import org.jrnn.core.AddingProblem;
import org.jrnn.core.Batch;
import org.jrnn.core.Bidirectional;
import org.jrnn.core.Cell;
import org.jrnn.core.OutputMode;
import org.jrnn.core.Parameters;
import org.jrnn.core.SequenceModel;
import org.jrnn.core.Trainer;
import org.jrnn.core.TrainingListener;
import org.jrnn.scalar.ScalarBackend;
import org.jrnn.spi.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole sequence models on the SIMD backend against the scalar reference: losses, predictions and every
 * parameter gradient of a model with an embedding, dropout, a bidirectional stage with lengths, recurrent
 * dropout and a hierarchical softmax; and a short learning run.
 */
class ModelEquivalenceTest {
    private static final double RELATIVE = 1e-4;

    private static SequenceModel model(Backend backend) {
        return SequenceModel.builder(backend).embedding(40, 24).dropout(0.2f)
                .bidirectional(Cell.LSTM, 33, OutputMode.SEQUENCE, Bidirectional.Merge.CONCAT)
                .gru(29, OutputMode.SEQUENCE).recurrentDropout(0.25f)
                .hierarchicalSoftmax(counts()).build(5);
    }

    private static long[] counts() {
        long[] counts = new long[40];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = 1 + (i * 37L) % 101;
        }
        return counts;
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], RELATIVE * (1 + scale), what + "[" + i + "]");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void lossPredictionsAndGradientsMatchTheScalarReference(int bits) {
        SequenceModel reference = model(new ScalarBackend());
        SequenceModel simd = model(new SimdBackend(bits));
        SplittableRandom r = new SplittableRandom(6);
        int size = 5;
        int time = 13;
        int[] tokens = new int[size * time];
        int[] classes = new int[size * time];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(40);
            classes[i] = r.nextInt(40);
        }
        Batch batch = Batch.ofTokens(size, time, tokens, new int[] {13, 4, 9, 1, 12}).withClasses(classes);
        reference.zeroGradients();
        simd.zeroGradients();
        double expected = reference.forward(batch, true);
        double actual = simd.forward(batch, true);
        assertEquals(expected, actual, RELATIVE * Math.abs(expected), "loss");
        reference.backward();
        simd.backward();
        List<Parameters> a = reference.allParameters();
        List<Parameters> b = simd.allParameters();
        for (int i = 0; i < a.size(); i++) {
            assertClose(a.get(i).owner() + " gradient", a.get(i).gradients(), b.get(i).gradients());
        }
        assertClose("log-probabilities", reference.predict(batch).clone(), simd.predict(batch));
    }

    @Test
    void anLstmLearnsTheAddingProblemOnSimd() {
        Backend backend = new SimdBackend();
        SequenceModel model = SequenceModel.builder(backend).input(2).lstm(24, OutputMode.LAST).regression(1)
                .build(1);
        SplittableRandom r = new SplittableRandom(2);
        List<Batch> training = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            training.add(AddingProblem.batch(r, 32, 10));
        }
        List<TrainingListener.Epoch> history = new Trainer(model, new Adam(backend, 0.01f)).clipNorm(1f)
                .fit(training, List.of(AddingProblem.batch(r, 256, 10)), 20);
        double last = history.get(history.size() - 1).validationLoss();
        assertTrue(last < 0.01, "validation MSE " + last + " against the baseline " + AddingProblem.BASELINE_MSE);
    }
}
