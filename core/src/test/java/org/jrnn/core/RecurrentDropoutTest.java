package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.jrnn.spi.RnnActivation;
import org.jrnn.tck.GradientChecker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Variational dropout on recurrent connections: one mask per sequence for every step, gradients, inference. */
class RecurrentDropoutTest {
    private final Backend backend = Backends.get("scalar");

    @Test
    void theSameUnitsAreDroppedAtEveryStepOfASequence() {
        int hidden = 16;
        int time = 6;
        int batch = 3;
        float rate = 0.4f;
        SimpleRnnLayer rnn = new SimpleRnnLayer(backend, hidden, hidden, RnnActivation.TANH, OutputMode.SEQUENCE);
        // W_ih = W_hh = I, no bias: h_t = tanh(x_t + (h_{t-1} ⊙ m) / (1 - rate) on kept units)
        float[] p = rnn.parameters().values();
        for (int j = 0; j < hidden; j++) {
            p[rnn.parameters().tensor(RecurrentLayer.WEIGHT_IH).offset() + j * hidden + j] = 1f;
            p[rnn.parameters().tensor(RecurrentLayer.WEIGHT_HH).offset() + j * hidden + j] = 1f;
        }
        rnn.recurrentDropout(rate, 7).training(true);
        float[] x = SequenceModelGradientTest.uniform(new SplittableRandom(1), batch * time * hidden, 0.5);
        float[] h = rnn.forward(x, batch, time, null, null, null).output().clone();
        int dropped = 0;
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                // infer the unit's mask from step 1, then check it at every later step
                float h0 = h[(b * time) * hidden + j];
                float x1 = x[(b * time + 1) * hidden + j];
                boolean kept = Math.abs(h[(b * time + 1) * hidden + j] - Math.tanh(x1)) > 1e-6;
                dropped += kept ? 0 : 1;
                for (int t = 1; t < time; t++) {
                    double prev = h[(b * time + t - 1) * hidden + j];
                    double expected = Math.tanh(x[(b * time + t) * hidden + j] + (kept ? prev / (1 - rate) : 0));
                    assertEquals(expected, h[(b * time + t) * hidden + j], 1e-6,
                            "sequence " + b + " unit " + j + " step " + t + (kept ? " kept" : " dropped"));
                }
                assertEquals(Math.tanh(x[(b * time) * hidden + j]), h0, 1e-6);
            }
        }
        assertTrue(dropped > 5 && dropped < 35, dropped + " of 48 units dropped at rate 0.4");
        // inference passes do not drop
        float[] inference = rnn.training(false).forward(x, batch, time, null, null, null).output().clone();
        assertTrue(!Arrays.equals(inference, h), "training and inference differ");
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                double expected = Math.tanh(x[(b * time + 1) * hidden + j] + inference[(b * time) * hidden + j]);
                assertEquals(expected, inference[(b * time + 1) * hidden + j], 1e-6);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Cell.class, names = {"LSTM", "GRU", "GRU_RESET_BEFORE", "RNN_TANH"})
    void gradientsWithAFixedRecurrentMaskMatchCentralDifferences(Cell cell) {
        SequenceModel model = SequenceModel.builder(backend).input(3).recurrent(cell, 5, OutputMode.SEQUENCE)
                .recurrentDropout(0.3f).bidirectional(cell, 4, OutputMode.LAST, Bidirectional.Merge.SUM)
                .recurrentDropout(0.5f).regression(2).build(11);
        SplittableRandom r = new SplittableRandom(12);
        Batch batch = Batch.ofInputs(3, 4, SequenceModelGradientTest.uniform(r, 36, 1), new int[] {4, 2, 3})
                .withValues(SequenceModelGradientTest.uniform(r, 6, 1));
        GradientChecker.assertPassed(cell + " with recurrent dropout", ModelGradients.check(model, batch));
    }

    @Test
    void masksAreReproducibleFromTheSeedAndPassCount() {
        SequenceModel a = SequenceModel.builder(backend).input(2).lstm(6, OutputMode.LAST).recurrentDropout(0.5f)
                .regression(1).build(3);
        SequenceModel b = SequenceModel.builder(backend).input(2).lstm(6, OutputMode.LAST).recurrentDropout(0.5f)
                .regression(1).build(3);
        Batch batch = Batch.ofInputs(2, 3, SequenceModelGradientTest.uniform(new SplittableRandom(4), 12, 1), null)
                .withValues(new float[2]);
        double first = a.forward(batch, true);
        double second = a.forward(batch, true);
        assertTrue(first != second, "a new mask each pass");
        ((Recurrent) b.layers().get(0)).layer().resumeRecurrentDropout(1);
        assertEquals(second, b.forward(batch, true), 0, "pass 2 of a resumed model uses pass 2's mask");
        assertArrayEquals(a.predict(batch).clone(), b.predict(batch), "inference does not drop");
    }
}
