package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.jrnn.spi.RnnActivation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every public entry point rejects bad input with a message naming what was expected and what was found. */
class BadInputTest {
    private final Backend backend = Backends.get("scalar");

    private static void rejects(String expectedMessage, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void layerConstructorsRejectBadSizes() {
        rejects("lstm: inputSize and hidden must be >= 1, found inputSize=0 hidden=3",
                () -> new LstmLayer(backend, 0, 3, OutputMode.LAST));
        rejects("dense: in and out must be >= 1, found in=2 out=0", () -> new DenseLayer(backend, 2, 0));
        assertThrows(NullPointerException.class, () -> new SimpleRnnLayer(backend, 2, 2, null, OutputMode.LAST));
        assertThrows(NullPointerException.class, () -> new GruLayer(backend, 2, 2, null, OutputMode.LAST));
    }

    @Test
    void recurrentForwardRejectsWrongShapesAndLengths() {
        LstmLayer lstm = new LstmLayer(backend, 3, 2, OutputMode.SEQUENCE).initialize(1);
        float[] x = new float[2 * 4 * 3];
        rejects("lstm: x must be [batch=2][time=4][inputSize=3] = 24 values, found 23",
                () -> lstm.forward(new float[23], 2, 4, null, null, null));
        rejects("lstm: batch and time must be >= 1, found batch=0 time=4",
                () -> lstm.forward(x, 0, 4, null, null, null));
        rejects("lstm: lengths must have one entry per sequence (2), found 3",
                () -> lstm.forward(x, 2, 4, new int[] {1, 2, 3}, null, null));
        rejects("lstm: lengths[1] must be in [1, 4], found 5", () -> lstm.forward(x, 2, 4, new int[] {4, 5}, null, null));
        rejects("lstm: lengths[0] must be in [1, 4], found 0", () -> lstm.forward(x, 2, 4, new int[] {0, 4}, null, null));
        rejects("lstm: h0 must have 4 values, found 6", () -> lstm.forward(x, 2, 4, null, new float[6], null));
        rejects("lstm: c0 must have 4 values, found 2", () -> lstm.forward(x, 2, 4, null, null, new float[2]));
        GruLayer gru = new GruLayer(backend, 3, 2, GruLayer.Form.RESET_AFTER, OutputMode.LAST);
        rejects("gru: c0 must be null, this cell has no cell state",
                () -> gru.forward(x, 2, 4, null, null, new float[4]));
    }

    @Test
    void finiteGuardNamesTheFirstBadValue() {
        SimpleRnnLayer rnn = new SimpleRnnLayer(backend, 2, 2, RnnActivation.TANH, OutputMode.LAST);
        float[] x = new float[1 * 3 * 2];
        x[3] = Float.NaN;
        rnn.forward(x, 1, 3, null, null, null); // guard off: accepted
        rnn.checkFinite(true);
        rejects("rnn: x[3] must be finite, found NaN", () -> rnn.forward(x, 1, 3, null, null, null));
        // a NaN past the sequence's length is padding, not input
        rnn.forward(x, 1, 3, new int[] {1}, null, null);
        rejects("rnn: h0[1] must be finite, found Infinity",
                () -> rnn.forward(new float[6], 1, 3, null, new float[] {0f, Float.POSITIVE_INFINITY}, null));
    }

    @Test
    void recurrentBackwardRejectsWrongShapesAndMissingForward() {
        LstmLayer lstm = new LstmLayer(backend, 3, 2, OutputMode.SEQUENCE).initialize(1);
        IllegalStateException early = assertThrows(IllegalStateException.class, () -> lstm.backward(null, null, null));
        assertEquals("lstm: backward called before forward", early.getMessage());
        lstm.forward(new float[2 * 4 * 3], 2, 4, null, null, null);
        rejects("lstm: dOutput must have 16 values, found 4", () -> lstm.backward(new float[4], null, null));
        rejects("lstm: dhN must have 4 values, found 5", () -> lstm.backward(null, new float[5], null));
        SimpleRnnLayer rnn = new SimpleRnnLayer(backend, 3, 2, RnnActivation.RELU, OutputMode.LAST);
        rnn.forward(new float[3], 1, 1, null, null, null);
        rejects("rnn: dcN must be null, this cell has no cell state", () -> rnn.backward(null, null, new float[2]));
    }

    @Test
    void denseAndLossesRejectWrongShapesAndTargets() {
        DenseLayer dense = new DenseLayer(backend, 3, 2);
        rejects("dense: x must be [rows=2][in=3] = 6 values, found 5", () -> dense.forward(new float[5], 2));
        assertThrows(IllegalStateException.class, () -> dense.backward(new float[4]));
        dense.forward(new float[6], 2);
        rejects("dense: dy must be [rows=2][out=2] = 4 values, found 3", () -> dense.backward(new float[3]));
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(backend);
        rejects("cross-entropy: targets[1] must be in [0, 3) or -1, found 3",
                () -> ce.forward(new float[6], 2, 3, new int[] {0, 3}));
        rejects("cross-entropy: targets must have 2 entries, found 1", () -> ce.forward(new float[6], 2, 3, new int[] {0}));
        rejects("cross-entropy: logits must be [rows=2][classes=4] = 8 values, found 6",
                () -> ce.forward(new float[6], 2, 4, new int[] {0, 1}));
        MeanSquaredError mse = new MeanSquaredError(backend);
        rejects("mse: predictions and targets must have the same non-zero length, found 2 and 3",
                () -> mse.forward(new float[2], new float[3]));
    }

    @Test
    void optimizersRejectBadSettings() {
        rejects("learning rate must be finite and > 0, found 0.0", () -> new Sgd(backend, 0f));
        rejects("learning rate must be finite and > 0, found NaN", () -> new Adam(backend, Float.NaN));
        rejects("beta1 and beta2 must be in [0, 1), found 1.0 and 0.999",
                () -> new Adam(backend, 0.1f, 1f, 0.999f, 1e-8f, 0f));
    }

    @Test
    void nonFiniteGradientLeavesEveryParameterAsItWas() {
        LstmLayer lstm = new LstmLayer(backend, 2, 2, OutputMode.LAST).initialize(3);
        DenseLayer dense = new DenseLayer(backend, 2, 2).initialize(4);
        java.util.Arrays.fill(lstm.parameters().gradients(), 0.5f);
        java.util.Arrays.fill(dense.parameters().gradients(), 0.5f);
        dense.parameters().gradients()[5] = Float.NaN;
        float[] lstmBefore = lstm.parameters().values().clone();
        float[] denseBefore = dense.parameters().values().clone();
        for (Optimizer optimizer : List.of(new Adam(backend, 0.1f), new Sgd(backend, 0.1f))) {
            NonFiniteException e = assertThrows(NonFiniteException.class,
                    () -> optimizer.step(List.of(lstm.parameters(), dense.parameters())));
            assertEquals("step 1: gradient of dense.bias[1] is NaN; no parameter was changed", e.getMessage());
            assertArrayEquals(lstmBefore, lstm.parameters().values());
            assertArrayEquals(denseBefore, dense.parameters().values());
        }
    }

    @Test
    void parametersRejectUnknownNamesAndWrongSizes() {
        Parameters p = new DenseLayer(backend, 2, 3).parameters();
        rejects("dense has no parameter 'kernel'; it has [weight, bias]", () -> p.tensor("kernel"));
        rejects("dense.bias has 1 x 3 = 3 values, found 2", () -> p.set("bias", new float[2]));
    }
}
