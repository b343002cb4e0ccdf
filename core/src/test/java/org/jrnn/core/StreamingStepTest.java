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
        // steps multiply a packed copy of the weights by default, the weights themselves when packing is off
        // (packed, also in parts of 4 units: 4 + 4 + 1 per gate block; at this size the default is one part)
        for (Boolean packing : new Boolean[] {null, false}) {
            for (int batch : new int[] {1, 3, 5}) {
                stepsReproduceTheForwardPass(kind, batch, packing, 0);
                if (packing == null) {
                    stepsReproduceTheForwardPass(kind, batch, packing, 4);
                }
            }
        }
    }

    private static void stepsReproduceTheForwardPass(Kind kind, int batch, Boolean packing, int partUnits) {
        int input = 7;
        int hidden = 9;
        int time = 6;
        RecurrentLayer layer = Harness.layer(kind, new ScalarBackend(), input, hidden, OutputMode.SEQUENCE)
                .initialize(11);
        layer.packing(packing);
        if (partUnits > 0) {
            layer.packedParts(partUnits);
        }
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
                            kind + (partUnits > 0 ? ", parts of " + partUnits : "") + " step " + t + " row " + b
                                    + " unit " + j);
                }
            }
        }
        assertArrayEquals(whole.hN(), h, 1e-6f);
        if (c != null) {
            assertArrayEquals(whole.cN(), c, 1e-6f);
        }
    }

    /**
     * Streaming steps keep packed weights between calls; every way of changing the
     * parameters (set, a write through values(), a write through an array kept from before followed by
     * changed()) reaches the next step.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void packedStepsFollowChangedWeights(Kind kind) {
        int batch = 3;
        RecurrentLayer layer = Harness.layer(kind, new ScalarBackend(), 6, 8, OutputMode.SEQUENCE).initialize(3);
        Parameters p = layer.parameters();
        int hh = p.tensor(RecurrentLayer.WEIGHT_HH).offset();
        float[] kept = p.values();
        assertStepsAlike(kind, layer, batch, "before any change");

        float[] w = p.get(RecurrentLayer.WEIGHT_HH);
        for (int i = 0; i < w.length; i++) {
            w[i] *= 0.5f;
        }
        p.set(RecurrentLayer.WEIGHT_HH, w);
        assertStepsAlike(kind, layer, batch, "after set()");

        p.values()[0] += 0.75f;
        assertStepsAlike(kind, layer, batch, "after a write through values()");

        kept[hh + 3] -= 0.75f;
        p.changed();
        assertStepsAlike(kind, layer, batch, "after a write through a kept array and changed()");
    }

    /** One step of {@code layer} and of a fresh layer holding a copy of its parameters agree. */
    private static void assertStepsAlike(Kind kind, RecurrentLayer layer, int batch, String when) {
        RecurrentLayer fresh = Harness.layer(kind, new ScalarBackend(), 6, 8, OutputMode.SEQUENCE);
        float[] values = layer.parameters().array();
        System.arraycopy(values, 0, fresh.parameters().values(), 0, values.length);
        SplittableRandom random = new SplittableRandom(8);
        float[] x = Harness.uniform(random, batch * 6, 1);
        float[] h = Harness.uniform(random, batch * 8, 0.5);
        float[] c = kind == Kind.LSTM ? Harness.uniform(random, batch * 8, 0.5) : null;
        float[] h2 = h.clone();
        float[] c2 = c == null ? null : c.clone();
        layer.step(batch, x, h, c);
        fresh.step(batch, x, h2, c2);
        assertArrayEquals(h2, h, 1e-6f, kind + " " + when);
        if (c != null) {
            assertArrayEquals(c2, c, 1e-6f, kind + " " + when);
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
