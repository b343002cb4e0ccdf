package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.jrnn.tck.ReferenceCells;
import org.jrnn.tck.ReferenceCells.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Forward passes of every cell agree with the double-precision reference cells; padding and lengths behave. */
class LayerForwardTest {
    /** Float against double over short sequences of values below 2 in size: a few float roundings per step. */
    private static final double TOLERANCE = 1e-5;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        long seed = 1;
        for (Backend backend : Backends.available()) {
            for (Kind kind : Kind.values()) {
                for (boolean lengths : new boolean[] {false, true}) {
                    cases.add(Arguments.of(backend.name(), kind, lengths, seed++));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} lengths={2}")
    @MethodSource("cases")
    void forwardMatchesReference(String backend, Kind kind, boolean lengths, long seed) {
        // 6 steps multiply the weights as they are; PACKING_MIN_ROWS / 4 steps of 4 sequences pack them first
        // (W_hh from PACKING_MIN_STEPS steps, W_ih from PACKING_MIN_ROWS rows)
        for (int time : new int[] {6, Math.max(RecurrentLayer.PACKING_MIN_STEPS, RecurrentLayer.PACKING_MIN_ROWS / 4)}) {
            forwardMatchesReference(backend, kind, lengths, seed, time);
        }
    }

    private static void forwardMatchesReference(String backend, Kind kind, boolean lengths, long seed, int time) {
        for (OutputMode mode : OutputMode.values()) {
            Harness.Problem p = new Harness.Problem(kind, Backends.get(backend), 5, 7, 4, time, lengths, mode, seed);
            RecurrentOutput out = p.layer.forward(p.x, p.batch, p.time, p.lengths, p.h0, p.c0);
            ReferenceCells.Result ref = ReferenceCells.forward(p.reference(p.point()), Harness.toDouble(p.x), p.batch,
                    p.time, p.lengths, Harness.toDouble(p.h0), p.c0 == null ? null : Harness.toDouble(p.c0));
            assertClose(mode == OutputMode.SEQUENCE ? ref.output() : ref.hN(), out.output(), "output " + p);
            assertClose(ref.hN(), out.hN(), "hN " + p);
            if (kind == Kind.LSTM) {
                assertClose(ref.cN(), out.cN(), "cN " + p);
            } else {
                assertNull(out.cN());
            }
        }
    }

    @Test
    void paddedStepsAreZeroAndFinalStateIsTheLastValidOne() {
        Backend backend = Backends.get("scalar");
        LstmLayer lstm = new LstmLayer(backend, 2, 3, OutputMode.SEQUENCE).initialize(5);
        float[] x = Harness.uniform(new java.util.SplittableRandom(3), 2 * 4 * 2, 1);
        RecurrentOutput out = lstm.forward(x, 2, 4, new int[] {2, 4}, null, null);
        float[] hN = out.hN().clone();
        float[] y = out.output().clone();
        for (int t = 2; t < 4; t++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(0f, y[(0 * 4 + t) * 3 + j], "padded output of sequence 0 at t=" + t);
            }
        }
        for (int j = 0; j < 3; j++) {
            assertEquals(y[(0 * 4 + 1) * 3 + j], hN[j], "final state of sequence 0 = output at its last step");
            assertEquals(y[(1 * 4 + 3) * 3 + j], hN[3 + j], "final state of sequence 1 = output at t=3");
        }
        // garbage past a sequence's length changes nothing
        float[] noisy = x.clone();
        noisy[(0 * 4 + 3) * 2] = Float.NaN;
        RecurrentOutput again = lstm.forward(noisy, 2, 4, new int[] {2, 4}, null, null);
        org.junit.jupiter.api.Assertions.assertArrayEquals(y, again.output());
        // and a shorter batch alone gives the same sequence-0 result as inside the mixed batch
        float[] first = java.util.Arrays.copyOfRange(x, 0, 2 * 2);
        RecurrentOutput alone = lstm.forward(first, 1, 2, null, null, null);
        for (int j = 0; j < 3; j++) {
            assertEquals(hN[j], alone.hN()[j], 1e-6, "sequence 0 alone");
        }
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > TOLERANCE) {
                throw new AssertionError(what + ": [" + i + "] = " + actual[i] + ", reference " + expected[i]);
            }
        }
    }
}
