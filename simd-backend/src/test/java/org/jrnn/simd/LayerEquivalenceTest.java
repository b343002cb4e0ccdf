package org.jrnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jrnn.core.GruLayer;
import org.jrnn.core.LstmLayer;
import org.jrnn.core.OutputMode;
import org.jrnn.core.RecurrentGradients;
import org.jrnn.core.RecurrentLayer;
import org.jrnn.core.RecurrentOutput;
import org.jrnn.core.SimpleRnnLayer;
import org.jrnn.scalar.ScalarBackend;
import org.jrnn.spi.Backend;
import org.jrnn.spi.RnnActivation;

/**
 * Whole layers on the SIMD backend against the same layers on the scalar reference: forward over whole
 * sequences (with per-sequence lengths and initial states) and backward through time, at every width.
 *
 * <p>Tolerance: every element of every output and gradient agrees within {@value #RELATIVE} times the
 * largest magnitude in that array (plus {@value #RELATIVE} absolute). Both backends round differently
 * (summation order, FMA, approximated transcendentals, each a few ulps), and through time these
 * differences are carried but not amplified by the contracting recurrences used here.
 */
class LayerEquivalenceTest {
    private static final double RELATIVE = 2e-5;

    enum Cell { LSTM, GRU, GRU_RESET_BEFORE, RNN_TANH, RNN_RELU }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (int bits : new int[] {128, 256, 512}) {
            for (Cell cell : Cell.values()) {
                // input, hidden, batch, time: sizes that are not multiples of any lane count, and batch 1
                cases.add(Arguments.of(bits, cell, 37, 45, 5, 23));
                cases.add(Arguments.of(bits, cell, 20, 67, 1, 31));
                // enough steps and rows (RecurrentLayer.PACKING_MIN_STEPS, PACKING_MIN_ROWS) for packed weights
                cases.add(Arguments.of(bits, cell, 37, 45, 8, 25));
                // a batch that projects each step's inputs in its step (RecurrentLayer.PER_STEP_PROJECTION_BATCH)
                cases.add(Arguments.of(bits, cell, 37, 45, 35, 17));
            }
        }
        return cases.build();
    }

    private static RecurrentLayer layer(Cell cell, Backend backend, int input, int hidden) {
        return switch (cell) {
            case LSTM -> new LstmLayer(backend, input, hidden, OutputMode.SEQUENCE);
            case GRU -> new GruLayer(backend, input, hidden, GruLayer.Form.RESET_AFTER, OutputMode.SEQUENCE);
            case GRU_RESET_BEFORE -> new GruLayer(backend, input, hidden, GruLayer.Form.RESET_BEFORE,
                    OutputMode.SEQUENCE);
            case RNN_TANH -> new SimpleRnnLayer(backend, input, hidden, RnnActivation.TANH, OutputMode.SEQUENCE);
            case RNN_RELU -> new SimpleRnnLayer(backend, input, hidden, RnnActivation.RELU, OutputMode.SEQUENCE);
        };
    }

    private static float[] uniform(SplittableRandom random, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((2 * random.nextDouble() - 1) * scale);
        }
        return a;
    }

    @ParameterizedTest(name = "{1} at {0} bits: input {2}, hidden {3}, batch {4}, time {5}")
    @MethodSource("cases")
    void simdLayerMatchesScalarLayer(int bits, Cell cell, int input, int hidden, int batch, int time) {
        RecurrentLayer reference = layer(cell, new ScalarBackend(), input, hidden).initialize(7);
        RecurrentLayer simd = layer(cell, new SimdBackend(bits), input, hidden).initialize(7);
        assertTrue(java.util.Arrays.equals(reference.parameters().values(), simd.parameters().values()));

        SplittableRandom random = new SplittableRandom(bits * 31L + cell.ordinal());
        float[] x = uniform(random, batch * time * input, 1);
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = b == 0 ? time : 1 + random.nextInt(time);
        }
        float[] h0 = uniform(random, batch * hidden, 0.5);
        float[] c0 = cell == Cell.LSTM ? uniform(random, batch * hidden, 0.5) : null;
        float[] dOut = uniform(random, batch * time * hidden, 1);
        float[] dhN = uniform(random, batch * hidden, 1);
        float[] dcN = cell == Cell.LSTM ? uniform(random, batch * hidden, 1) : null;

        RecurrentOutput expected = reference.forward(x, batch, time, lengths, h0, c0);
        RecurrentOutput actual = simd.forward(x, batch, time, lengths, h0, c0);
        assertClose("output", expected.output(), actual.output());
        assertClose("hN", expected.hN(), actual.hN());
        if (c0 != null) {
            assertClose("cN", expected.cN(), actual.cN());
        }

        RecurrentGradients dExpected = reference.backward(dOut, dhN, dcN);
        RecurrentGradients dActual = simd.backward(dOut, dhN, dcN);
        assertClose("dInput", dExpected.dInput(), dActual.dInput());
        assertClose("dh0", dExpected.dh0(), dActual.dh0());
        if (c0 != null) {
            assertClose("dc0", dExpected.dc0(), dActual.dc0());
        }
        for (var tensor : reference.parameters().tensors()) {
            assertClose("gradient of " + tensor.name(), reference.parameters().gradient(tensor.name()),
                    simd.parameters().gradient(tensor.name()));
        }

        // the same layer on two threads computes the same outputs (bit-identical once the kernels are compiled,
        // which a short test cannot wait for, so within the tolerance here)
        RecurrentLayer threaded = layer(cell, new SimdBackend(bits), input, hidden).initialize(7).threads(2);
        try {
            RecurrentOutput split = threaded.forward(x, batch, time, lengths, h0, c0);
            assertClose("output on 2 threads", actual.output(), split.output());
            assertClose("hN on 2 threads", actual.hN(), split.hN());
        } finally {
            threaded.close();
        }
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double bound = RELATIVE * (1 + scale);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) expected[i] - actual[i]);
            if (!(err <= worst)) {
                worst = err;
                at = i;
            }
        }
        final double w = worst;
        final int a = at;
        assertTrue(worst <= bound, () -> what + "[" + a + "] = " + actual[a] + ", scalar " + expected[a]
                + ": difference " + w + " exceeds " + bound);
    }
}
