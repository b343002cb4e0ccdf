package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.jrnn.scalar.ScalarBackend;
import org.jrnn.spi.Backend;
import org.jrnn.tck.ReferenceCells.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pass that multiplies packed weights (forward: W_ih and W_hh per member slice; backward: W_hh, W_ih and the
 * inputs of the weight gradients) computes what the pass on the weights as they are computes: outputs, final
 * states, input gradients and parameter gradients, with per-sequence lengths and recurrent dropout, on one and
 * on two threads; forward passes follow changed weights. Bit for bit: the scalar backend's packed layout is
 * the matrix itself and its products sum in the same order on it, so any difference is a wrong operand, offset
 * or slice in the layer.
 */
class PackedWeightsTest {
    private static final int INPUT = 11;
    private static final int HIDDEN = 70;
    private static final int BATCH = 5;
    private static final int TIME = 9;

    private record Pass(float[] output, float[] hN, float[] dInput, float[] dh0, float[] parameterGradients) {
    }

    private static Pass run(Kind kind, boolean packed, int threads, float dropout) {
        return run(kind, packed, threads, dropout, 0);
    }

    /** With parts of {@code partUnits} units (0: the default, one part of each block at this size). */
    private static Pass run(Kind kind, boolean packed, int threads, float dropout, int partUnits) {
        return run(kind, packed, threads, dropout, BATCH, new int[] {TIME, 4, TIME, 1, 7}, partUnits);
    }

    private static Pass run(Kind kind, boolean packed, int threads, float dropout, int batch, int[] lengths) {
        return run(kind, packed, threads, dropout, batch, lengths, 0);
    }

    private static Pass run(Kind kind, boolean packed, int threads, float dropout, int batch, int[] lengths,
                            int partUnits) {
        RecurrentLayer layer = Harness.layer(kind, new ScalarBackend(), INPUT, HIDDEN, OutputMode.SEQUENCE)
                .initialize(5).threads(threads);
        layer.splitting(1, 16);
        layer.packing(packed);
        if (partUnits > 0) {
            layer.packedParts(partUnits);
        }
        layer.recurrentDropout(dropout, 9).training(true);
        try {
            SplittableRandom random = new SplittableRandom(21);
            float[] x = Harness.uniform(random, batch * TIME * INPUT, 1);
            float[] h0 = Harness.uniform(random, batch * HIDDEN, 0.5);
            float[] c0 = kind == Kind.LSTM ? Harness.uniform(random, batch * HIDDEN, 0.5) : null;
            float[] dOut = Harness.uniform(random, batch * TIME * HIDDEN, 1);
            RecurrentOutput out = layer.forward(x, batch, TIME, lengths, h0, c0);
            float[] output = out.output().clone();
            float[] hN = out.hN().clone();
            RecurrentGradients g = layer.backward(dOut, null, null);
            return new Pass(output, hN, g.dInput().clone(), g.dh0().clone(), layer.parameters().gradients().clone());
        } finally {
            layer.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void packedPassesComputeWhatUnpackedPassesCompute(Kind kind) {
        for (float dropout : new float[] {0f, 0.25f}) {
            Pass plain = run(kind, false, 1, dropout);
            for (int threads : new int[] {1, 2}) {
                compare(plain, run(kind, true, threads, dropout),
                        kind + " on " + threads + " thread(s), dropout " + dropout + ", packed against unpacked: ");
                // HIDDEN = 70 on two threads: slices of 32 and 38 units, parts of 16 (16 + 16, 16 + 16 + 6)
                compare(plain, run(kind, true, threads, dropout, 16), kind + " on " + threads
                        + " thread(s), dropout " + dropout + ", packed in parts of 16 units against unpacked: ");
            }
        }
    }

    /**
     * From {@link RecurrentLayer#PER_STEP_PROJECTION_BATCH} sequences on, a forward pass projects each step's
     * inputs in its step instead of all steps first; that pass too computes what the unpacked one does.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void stepwiseProjectionComputesWhatUnpackedPassesCompute(Kind kind) {
        int batch = RecurrentLayer.PER_STEP_PROJECTION_BATCH + 3;
        int[] lengths = new SplittableRandom(8).ints(batch, 1, TIME + 1).toArray();
        lengths[0] = TIME;
        Pass plain = run(kind, false, 1, 0.25f, batch, lengths);
        for (int threads : new int[] {1, 2}) {
            compare(plain, run(kind, true, threads, 0.25f, batch, lengths),
                    kind + ", batch " + batch + " on " + threads + " thread(s), packed against unpacked: ");
        }
    }

    /**
     * Successive short products of one member (fewer than {@link PackedWeights#ALTERNATING_ROWS} rows) take the
     * parts of the gate blocks in opposite orders (the one read last comes first next time, while it is still in
     * cache); longer ones keep one order. Blocks of 6 units in parts of 6 (one per block), 4 (4 + 2), 1 and
     * {@link PackedWeights#WHOLE_BLOCKS}; in either order each part lands in its own columns: every call gives
     * the product on the weights as they are.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, PackedWeights.ALTERNATING_ROWS - 1, PackedWeights.ALTERNATING_ROWS, 9})
    void shortProductsAlternateThePartOrderAndAllAgree(int rows) {
        int hidden = 6;
        int depth = 5;
        int blocks = 4;
        ScalarBackend scalar = new ScalarBackend();
        SplittableRandom random = new SplittableRandom(12);
        float[] w = Harness.uniform(random, blocks * hidden * depth, 1);
        float[] a = Harness.uniform(random, rows * depth, 1);
        float[] expected = new float[rows * blocks * hidden];
        scalar.matrix().gemm(false, true, rows, blocks * hidden, depth, 1f, a, 0, depth, w, 0, depth, 0f, expected, 0,
                blocks * hidden);
        List<Integer> columns = new ArrayList<>();
        Backend watched = InterceptedBackend.matrix(scalar, (method, args) -> {
            if (method.equals("gemmPacked")) {
                columns.add((Integer) args[12]); // cOff: the first column the call wrote
            }
        });
        for (int partUnits : new int[] {hidden, 4, 1, PackedWeights.WHOLE_BLOCKS}) {
            List<Integer> forwards = new ArrayList<>();
            for (int k = 0; k < blocks; k++) {
                for (int u = 0; u < hidden; u += partUnits) {
                    forwards.add(k * hidden + u);
                }
            }
            List<Integer> backwards = new ArrayList<>(forwards);
            Collections.reverse(backwards);
            PackedWeights packed = new PackedWeights(watched.matrix(), hidden, blocks, depth, partUnits);
            int[] whole = {0, hidden};
            packed.current(whole, 0);
            packed.pack(0, w, 0);
            packed.packed(0);
            boolean alternates = rows < PackedWeights.ALTERNATING_ROWS;
            for (int call = 0; call < 3; call++) {
                columns.clear();
                float[] c = new float[rows * blocks * hidden];
                packed.addProducts(0, blocks, rows, a, 0, depth, c, 0, blocks * hidden);
                String what = rows + " rows, parts of " + partUnits + " units, call " + call;
                assertArrayEquals(expected, c, what);
                assertEquals(alternates && call % 2 == 1 ? backwards : forwards, columns, what + ": part order");
            }
        }
    }

    /** Parts hold whole multiples of 64 units and about 2¹⁷ weights, at least one multiple. */
    @Test
    void defaultPartsHoldAboutHalfAMegabyte() {
        assertEquals(128, PackedWeights.defaultPartUnits(1024));
        assertEquals(256, PackedWeights.defaultPartUnits(512));
        assertEquals(128, PackedWeights.defaultPartUnits(768));
        assertEquals(64, PackedWeights.defaultPartUnits(4096));
        assertEquals(2048, PackedWeights.defaultPartUnits(64));
        assertEquals(1 << 17, PackedWeights.defaultPartUnits(1));
    }

    /**
     * {@link PackedWeights#products} with a bias writes each member's slice of {@code bias + a·Wᵀ} (the bias of block
     * k at {@code k·H + j0}) without reading C: C holding NaN before, every element equals the bias filled in and
     * the product added (the scalar backend sums in the same order, so bit for bit), and the other member's columns
     * stay as they were.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 9})
    void productsWithABiasWriteTheBiasPlusTheProductsOfTheirSlice(int rows) {
        int hidden = 6;
        int depth = 5;
        int blocks = 4;
        int width = blocks * hidden;
        ScalarBackend scalar = new ScalarBackend();
        SplittableRandom random = new SplittableRandom(13);
        float[] w = Harness.uniform(random, width * depth, 1);
        float[] a = Harness.uniform(random, rows * depth, 1);
        float[] bias = Harness.uniform(random, width, 1);
        int[] slices = {0, 2, hidden};
        // parts of 3 units: member 0's 2 units in one, member 1's 4 in two (3 + 1), each with its bias
        PackedWeights packed = new PackedWeights(scalar.matrix(), hidden, blocks, depth, 3);
        packed.current(slices, 0);
        packed.pack(0, w, 0);
        packed.pack(1, w, 0);
        packed.packed(0);
        for (int m = 0; m < 2; m++) {
            int j0 = slices[m];
            int s = slices[m + 1] - j0;
            // the member's columns in the sliced layout: block k's units at blocks·j0 + k·s
            float[] expected = new float[rows * width];
            float[] c = new float[rows * width];
            java.util.Arrays.fill(expected, -7f);
            java.util.Arrays.fill(c, -7f);
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < blocks; k++) {
                    System.arraycopy(bias, k * hidden + j0, expected, r * width + blocks * j0 + k * s, s);
                    java.util.Arrays.fill(c, r * width + blocks * j0 + k * s, r * width + blocks * j0 + (k + 1) * s,
                            Float.NaN);
                }
            }
            for (int k = 0; k < blocks; k++) {
                scalar.matrix().gemm(false, true, rows, s, depth, 1f, a, 0, depth, w, (k * hidden + j0) * depth,
                        depth, 1f, expected, blocks * j0 + k * s, width);
            }
            packed.products(m, blocks, rows, a, 0, depth, bias, 0, c, blocks * j0, width);
            assertArrayEquals(expected, c, rows + " rows, member " + m);
        }
    }

    private static void compare(Pass plain, Pass packed, String what) {
        assertArrayEquals(plain.output(), packed.output(), what + "output");
        assertArrayEquals(plain.hN(), packed.hN(), what + "hN");
        assertArrayEquals(plain.dInput(), packed.dInput(), what + "dInput");
        assertArrayEquals(plain.dh0(), packed.dh0(), what + "dh0");
        assertArrayEquals(plain.parameterGradients(), packed.parameterGradients(), what + "parameter gradients");
    }

    /**
     * Forward passes reuse weights packed from the same values (repeated inference packs once) and repack after
     * every way of changing them.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void forwardPassesFollowChangedWeights(Kind kind) {
        RecurrentLayer layer = Harness.layer(kind, new ScalarBackend(), INPUT, HIDDEN, OutputMode.SEQUENCE)
                .initialize(5);
        layer.packing(true);
        float[] x = Harness.uniform(new SplittableRandom(4), BATCH * TIME * INPUT, 1);
        Parameters p = layer.parameters();
        float[] kept = p.values();
        assertForwardLikeFresh(kind, layer, x, "first pass");
        assertForwardLikeFresh(kind, layer, x, "second pass on the same values");
        float[] w = p.get(RecurrentLayer.WEIGHT_IH);
        for (int i = 0; i < w.length; i++) {
            w[i] = -w[i];
        }
        p.set(RecurrentLayer.WEIGHT_IH, w);
        assertForwardLikeFresh(kind, layer, x, "after set()");
        p.values()[p.tensor(RecurrentLayer.WEIGHT_HH).offset()] += 0.75f;
        assertForwardLikeFresh(kind, layer, x, "after a write through values()");
        kept[p.tensor(RecurrentLayer.WEIGHT_HH).offset() + 5] -= 0.75f;
        p.changed();
        assertForwardLikeFresh(kind, layer, x, "after a write through a kept array and changed()");
    }

    /**
     * A backward pass keeps W_hh's packed columns while the values stay the same, and repacks them after a change:
     * after set() between two training steps, its gradients are those of a fresh unpacked layer with the new values.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void backwardPassesFollowChangedWeights(Kind kind) {
        RecurrentLayer layer = Harness.layer(kind, new ScalarBackend(), INPUT, HIDDEN, OutputMode.SEQUENCE)
                .initialize(5);
        layer.packing(true);
        SplittableRandom random = new SplittableRandom(6);
        float[] x = Harness.uniform(random, BATCH * TIME * INPUT, 1);
        float[] dOut = Harness.uniform(random, BATCH * TIME * HIDDEN, 1);
        assertBackwardLikeFresh(kind, layer, x, dOut, "first pass");
        assertBackwardLikeFresh(kind, layer, x, dOut, "second pass on the same values");
        Parameters p = layer.parameters();
        float[] w = p.get(RecurrentLayer.WEIGHT_HH);
        for (int i = 0; i < w.length; i++) {
            w[i] = -0.5f * w[i];
        }
        p.set(RecurrentLayer.WEIGHT_HH, w);
        assertBackwardLikeFresh(kind, layer, x, dOut, "after set()");
    }

    private static void assertBackwardLikeFresh(Kind kind, RecurrentLayer layer, float[] x, float[] dOut,
                                                String when) {
        RecurrentLayer fresh = Harness.layer(kind, new ScalarBackend(), INPUT, HIDDEN, OutputMode.SEQUENCE);
        fresh.packing(false);
        float[] values = layer.parameters().array();
        System.arraycopy(values, 0, fresh.parameters().values(), 0, values.length);
        fresh.training(true);
        layer.training(true);
        fresh.forward(x, BATCH, TIME, null, null, null);
        layer.forward(x, BATCH, TIME, null, null, null);
        fresh.parameters().zeroGradients();
        layer.parameters().zeroGradients();
        assertArrayEquals(fresh.backward(dOut, null, null).dInput(), layer.backward(dOut, null, null).dInput(),
                kind + " " + when + ": dInput");
        assertArrayEquals(fresh.parameters().gradients(), layer.parameters().gradients(),
                kind + " " + when + ": parameter gradients");
    }

    private static void assertForwardLikeFresh(Kind kind, RecurrentLayer layer, float[] x, String when) {
        RecurrentLayer fresh = Harness.layer(kind, new ScalarBackend(), INPUT, HIDDEN, OutputMode.SEQUENCE);
        fresh.packing(false);
        float[] values = layer.parameters().array();
        System.arraycopy(values, 0, fresh.parameters().values(), 0, values.length);
        assertArrayEquals(fresh.forward(x, BATCH, TIME, null, null, null).output(),
                layer.forward(x, BATCH, TIME, null, null, null).output(), kind + " " + when + ": output");
    }
}
