package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.jrnn.scalar.ScalarBackend;
import org.jrnn.tck.ReferenceCells.Kind;

/** Streaming steps, one call per time step with the state kept by the caller, reproduce a whole forward. */
class StreamingStepTest {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void stepsReproduceTheForwardPass(Kind kind) {
        int input = 7;
        int hidden = 9;
        int batch = 3;
        int time = 6;
        RecurrentLayer layer = Harness.layer(kind, new ScalarBackend(), input, hidden, OutputMode.SEQUENCE)
                .initialize(11);
        SplittableRandom random = new SplittableRandom(5);
        float[] x = Harness.uniform(random, batch * time * input, 1);
        float[] h0 = Harness.uniform(random, batch * hidden, 0.5);
        float[] c0 = kind == Kind.LSTM ? Harness.uniform(random, batch * hidden, 0.5) : null;
        RecurrentOutput whole = layer.forward(x, batch, time, null, h0, c0);

        float[] h = h0.clone();
        float[] c = c0 == null ? null : c0.clone();
        float[] xt = new float[batch * input];
        for (int t = 0; t < time; t++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(x, (b * time + t) * input, xt, b * input, input);
            }
            layer.step(batch, xt, h, c);
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < hidden; j++) {
                    assertEquals(whole.output()[(b * time + t) * hidden + j], h[b * hidden + j], 1e-6f,
                            kind + " step " + t + " row " + b + " unit " + j);
                }
            }
        }
        assertArrayEquals(whole.hN(), h, 1e-6f);
        if (c != null) {
            assertArrayEquals(whole.cN(), c, 1e-6f);
        }
    }

    @Test
    void wrongSizesAreNamed() {
        LstmLayer lstm = new LstmLayer(new ScalarBackend(), 4, 5, OutputMode.SEQUENCE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lstm.step(2, new float[7], new float[10], new float[10]));
        assertEquals("lstm: x must have 8 values, found 7", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lstm.step(2, new float[8], new float[10], null));
        assertEquals("lstm: c is null, expected 10 values", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lstm.step(0, new float[0], new float[0], null));
        assertEquals("lstm: batch must be >= 1, found 0", e.getMessage());
        GruLayer gru = new GruLayer(new ScalarBackend(), 4, 5, GruLayer.Form.RESET_AFTER, OutputMode.LAST);
        e = assertThrows(IllegalArgumentException.class, () -> gru.step(1, new float[4], new float[5], new float[5]));
        assertEquals("gru: c must be null, this cell has no cell state", e.getMessage());
    }
}
