package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.jrnn.scalar.ScalarBackend;
import org.jrnn.spi.Backend;
import org.jrnn.tck.ReferenceCells.Kind;

/**
 * Layers split across threads, by hidden units or by batch rows, give bit-identical results to one thread:
 * forward outputs and final states, the gradients of the backward pass that follows, and streaming steps.
 */
class ThreadedLayerTest {
    private static final int INPUT = 13;
    private static final int HIDDEN = 70; // slices of 16-unit multiples plus a ragged last one
    private static final int BATCH = 4;
    /** Short sequences multiply the weights as they are; long ones pack them first. */
    private static final int TIME = 9;
    private static final int LONG_TIME = Math.max(RecurrentLayer.PACKING_MIN_STEPS, RecurrentLayer.PACKING_MIN_ROWS / BATCH);

    private record Run(RecurrentOutput out, RecurrentGradients grads, float[] paramGrads, float[] streamH) {
    }

    /**
     * How a test splits its layer: by hidden units, by batch rows, or not at all with the input projection of
     * the steps ahead on the other threads (each forced on for this small layer, which by default would not be
     * worth a thread).
     */
    private enum Split {
        UNITS, ROWS, PIPELINE;

        void apply(RecurrentLayer layer) {
            layer.splitting(this == PIPELINE ? Long.MAX_VALUE : 1, 16);
            layer.rowSplitting(this == ROWS ? 1 : Integer.MAX_VALUE);
            layer.pipelining(this == PIPELINE ? 1 : Long.MAX_VALUE, true);
        }
    }

    private static Run run(Kind kind, int threads, int time, Split split) {
        return run(kind, threads, time, split, true);
    }

    /** A run whose team threads start only if {@code threadsStart}: otherwise the caller runs every share. */
    private static Run run(Kind kind, int threads, int time, Split split, boolean threadsStart) {
        RecurrentLayer layer = Harness.layer(kind, new ScalarBackend(), INPUT, HIDDEN, OutputMode.SEQUENCE)
                .initialize(3).threads(threads);
        layer.teamThreadsStart(threadsStart);
        split.apply(layer);
        try {
            SplittableRandom random = new SplittableRandom(17);
            float[] x = Harness.uniform(random, BATCH * time * INPUT, 1);
            int[] lengths = {time, 3, time - 1, 1};
            float[] h0 = Harness.uniform(random, BATCH * HIDDEN, 0.5);
            float[] c0 = kind == Kind.LSTM ? Harness.uniform(random, BATCH * HIDDEN, 0.5) : null;
            float[] dOut = Harness.uniform(random, BATCH * time * HIDDEN, 1);
            RecurrentOutput out = layer.forward(x, BATCH, time, lengths, h0, c0);
            // rows are split, and projections pipelined, only in passes that pack their weights (long ones) on
            // several threads
            boolean packedOnThreads = threads > 1 && time >= LONG_TIME && kind != Kind.GRU_RESET_BEFORE;
            assertEquals(split == Split.ROWS && packedOnThreads, layer.splitByRows(), "split by rows");
            assertEquals(split == Split.PIPELINE && packedOnThreads, layer.pipelinedProjection(),
                    "projection pipelined");
            RecurrentOutput copy = new RecurrentOutput(out.output().clone(), out.hN().clone(),
                    out.cN() == null ? null : out.cN().clone());
            RecurrentGradients g = layer.backward(dOut, null, null);
            RecurrentGradients gCopy = new RecurrentGradients(g.dInput().clone(), g.dh0().clone(),
                    g.dc0() == null ? null : g.dc0().clone());
            float[] h = h0.clone();
            float[] c = c0 == null ? null : c0.clone();
            for (int t = 0; t < 3; t++) {
                layer.step(BATCH, java.util.Arrays.copyOfRange(x, t * BATCH * INPUT, (t + 1) * BATCH * INPUT), h, c);
            }
            return new Run(copy, gCopy, layer.parameters().gradients().clone(), h);
        } finally {
            layer.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void threadCountDoesNotChangeAnyResult(Kind kind) {
        for (int time : new int[] {TIME, LONG_TIME}) {
            threadCountDoesNotChangeAnyResult(kind, time);
        }
    }

    private static void threadCountDoesNotChangeAnyResult(Kind kind, int time) {
        Run one = run(kind, 1, time, Split.UNITS);
        for (int threads : new int[] {2, 3, 8}) {
            for (Split split : Split.values()) {
                threadCountDoesNotChangeAnyResult(kind, time, one, threads, split);
            }
        }
    }

    /**
     * Every task of every split gets through its rounds when the team's threads never run (a parked thread that
     * does not come back, taken to the limit): the caller runs their shares, and the results are one thread's.
     * A task that waited within a round for another member's share would hang here instead.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void roundsEndWhenTheTeamsThreadsNeverRun(Kind kind) {
        Run one = run(kind, 1, LONG_TIME, Split.UNITS);
        for (int threads : new int[] {2, 3}) {
            for (Split split : Split.values()) {
                Run many = assertTimeoutPreemptively(Duration.ofSeconds(20),
                        () -> run(kind, threads, LONG_TIME, split, false));
                assertSameResults(one, many, kind + " with " + threads + " threads that never run, " + split + ": ");
            }
        }
    }

    private static void threadCountDoesNotChangeAnyResult(Kind kind, int time, Run one, int threads, Split split) {
        Run many = run(kind, threads, time, split);
        assertSameResults(one, many, kind + " over " + time + " steps with " + threads + " threads, " + split + ": ");
    }

    private static void assertSameResults(Run one, Run many, String what) {
        assertArrayEquals(one.out().output(), many.out().output(), what + "output");
        assertArrayEquals(one.out().hN(), many.out().hN(), what + "hN");
        if (one.out().cN() != null) { // LSTM
            assertArrayEquals(one.out().cN(), many.out().cN(), what + "cN");
            assertArrayEquals(one.grads().dc0(), many.grads().dc0(), what + "dc0");
        }
        assertArrayEquals(one.grads().dInput(), many.grads().dInput(), what + "dInput");
        assertArrayEquals(one.grads().dh0(), many.grads().dh0(), what + "dh0");
        assertArrayEquals(one.paramGrads(), many.paramGrads(), what + "parameter gradients");
        assertArrayEquals(one.streamH(), many.streamH(), what + "streaming steps");
    }

    /**
     * A layer that ran a pass of full-length sequences, then one of shorter ones, gives the second pass's
     * gradients exactly as a fresh layer does: the rows of finished sequences in the gradient records are
     * zeros again, not what the first pass left there. On one thread, and on two split by units, by rows or
     * with the projection pipelined.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aLayerReusedForOtherLengthsGivesAFreshLayersGradients(Kind kind) {
        for (int run = 0; run <= Split.values().length; run++) {
            int threads = run == 0 ? 1 : 2;
            Split split = run == 0 ? Split.UNITS : Split.values()[run - 1];
            String what = kind + (run == 0 ? ", one thread: " : ", two threads, " + split + ": ");
            SplittableRandom random = new SplittableRandom(29);
            float[] x = Harness.uniform(random, BATCH * LONG_TIME * INPUT, 1);
            float[] dOut = Harness.uniform(random, BATCH * LONG_TIME * HIDDEN, 1);
            int[] lengths = {LONG_TIME, 2, LONG_TIME - 5, 1};
            float[][] fresh = gradientsOfAPass(kind, threads, split, x, dOut, lengths, false);
            float[][] reused = gradientsOfAPass(kind, threads, split, x, dOut, lengths, true);
            assertArrayEquals(fresh[0], reused[0], what + "parameter gradients");
            assertArrayEquals(fresh[1], reused[1], what + "dInput");
        }
    }

    /** Parameter and input gradients of one pass over {@code lengths}, after a full-length pass if {@code reused}. */
    private static float[][] gradientsOfAPass(Kind kind, int threads, Split split, float[] x, float[] dOut,
                                              int[] lengths, boolean reused) {
        RecurrentLayer layer = Harness.layer(kind, new ScalarBackend(), INPUT, HIDDEN, OutputMode.SEQUENCE)
                .initialize(3).threads(threads);
        split.apply(layer);
        try {
            if (reused) {
                float[] other = x.clone();
                for (int i = 0; i < other.length; i++) {
                    other[i] = 0.5f - other[i];
                }
                layer.forward(other, BATCH, LONG_TIME, null, null, null);
                layer.backward(dOut, null, null);
                java.util.Arrays.fill(layer.parameters().gradients(), 0f);
            }
            layer.forward(x, BATCH, LONG_TIME, lengths, null, null);
            float[] dInput = layer.backward(dOut, null, null).dInput().clone();
            return new float[][] {layer.parameters().gradients().clone(), dInput};
        } finally {
            layer.close();
        }
    }

    /**
     * Repeated inference split by rows packs the weights once: its packing is laid out for the split it runs, not
     * first for the hidden-unit slices as well (which would discard it at every pass).
     */
    @Test
    void inferenceSplitByRowsPacksOnce() {
        AtomicInteger packs = new AtomicInteger();
        Backend backend = InterceptedBackend.matrix(new ScalarBackend(), (method, args) -> {
            if (method.equals("pack")) {
                packs.incrementAndGet();
            }
        });
        RecurrentLayer layer = new LstmLayer(backend, INPUT, HIDDEN, OutputMode.SEQUENCE).initialize(3).threads(2);
        // this small layer would be split into slices of units too, so both layouts are in play
        layer.splitting(1, 16);
        layer.rowSplitting(1);
        try {
            float[] x = Harness.uniform(new SplittableRandom(5), BATCH * LONG_TIME * INPUT, 1);
            float[] first = layer.infer(x, BATCH, LONG_TIME, null, null, null).output().clone();
            assertTrue(layer.splitByRows(), "split by rows");
            int afterFirst = packs.get();
            assertTrue(afterFirst > 0, "the first pass packs: " + afterFirst);
            assertArrayEquals(first, layer.infer(x, BATCH, LONG_TIME, null, null, null).output(), "second pass");
            assertEquals(afterFirst, packs.get(), "packings made by the second pass on the same values");
        } finally {
            layer.close();
        }
    }

    /**
     * A pipelined pass projects every row of its inputs once, whichever member projects each chunk (the
     * projection of all steps that an unsplit pass makes first is left out, not made as well), a short last
     * chunk included, and gives one thread's output.
     */
    @Test
    void aPipelinedPassProjectsEachRowOnce() {
        AtomicInteger projectedRows = new AtomicInteger();
        Backend backend = InterceptedBackend.matrix(new ScalarBackend(), (method, args) -> {
            // gemmPacked or gemmPackedBias(transA, m, n, k, ...): the input projection is the product of depth INPUT
            if (method.startsWith("gemmPacked") && (int) args[3] == INPUT) {
                projectedRows.addAndGet((int) args[1]);
            }
        });
        RecurrentLayer layer = new LstmLayer(backend, INPUT, HIDDEN, OutputMode.SEQUENCE).initialize(3).threads(2);
        Split.PIPELINE.apply(layer);
        RecurrentLayer alone = new LstmLayer(new ScalarBackend(), INPUT, HIDDEN, OutputMode.SEQUENCE).initialize(3);
        // a last chunk shorter than the others
        int time = LONG_TIME + RecurrentLayer.PIPELINE_STEPS / 2 + 1;
        try {
            float[] x = Harness.uniform(new SplittableRandom(7), BATCH * time * INPUT, 1);
            float[] expected = alone.infer(x, BATCH, time, null, null, null).output().clone();
            for (int pass = 0; pass < 3; pass++) {
                projectedRows.set(0);
                float[] output = layer.infer(x, BATCH, time, null, null, null).output();
                assertTrue(layer.pipelinedProjection(), "pass " + pass + " pipelined");
                // one product per gate block: four for the LSTM
                assertEquals(4 * BATCH * time, projectedRows.get(), "rows projected in pass " + pass);
                assertArrayEquals(expected, output, "output of pass " + pass + " against one thread");
            }
        } finally {
            layer.close();
        }
    }

    /**
     * By default a pass pipelines only when the layer's other threads are spinning for work: not the first pass
     * (they start then), and not one after they parked (it runs alone; it would wake them only if it came right
     * after the last pass).
     */
    @Test
    void aPassPipelinesOnlyOnThreadsThatAreAwake() {
        RecurrentLayer layer = new LstmLayer(new ScalarBackend(), INPUT, HIDDEN, OutputMode.SEQUENCE).initialize(3)
                .threads(2);
        Split.PIPELINE.apply(layer);
        layer.pipelining(1, false);
        try {
            float[] x = Harness.uniform(new SplittableRandom(9), BATCH * LONG_TIME * INPUT, 1);
            float[] first = layer.infer(x, BATCH, LONG_TIME, null, null, null).output().clone();
            assertFalse(layer.pipelinedProjection(), "the first pass, before the threads exist, pipelined");
            assertTrue(StepTeamTest.eventually(() -> !layer.threadsAwake()), "idle threads parked within 5 s");
            assertArrayEquals(first, layer.infer(x, BATCH, LONG_TIME, null, null, null).output(), "second pass");
            assertFalse(layer.pipelinedProjection(), "a pass on parked threads pipelined");
        } finally {
            layer.close();
        }
    }

    /**
     * Passes and streaming steps of a layer with more weights than the row split's limit are split by units
     * (every member would read both whole matrices at every step), with the results of the row split.
     */
    @Test
    void passesOverTheWeightLimitSplitByUnits() {
        RecurrentLayer layer = new LstmLayer(new ScalarBackend(), INPUT, HIDDEN, OutputMode.SEQUENCE).initialize(3)
                .threads(2);
        layer.splitting(1, 16);
        layer.rowSplitting(1);
        long weights = (long) (INPUT + HIDDEN) * 4 * HIDDEN;
        assertTrue(weights <= RecurrentLayer.ROW_SPLIT_MAX_WEIGHTS, "this layer is under the default limit");
        try {
            SplittableRandom random = new SplittableRandom(5);
            float[] x = Harness.uniform(random, BATCH * LONG_TIME * INPUT, 1);
            float[] xStep = Harness.uniform(random, BATCH * INPUT, 1);
            float[] rows = layer.infer(x, BATCH, LONG_TIME, null, null, null).output().clone();
            assertTrue(layer.splitByRows(), "inference at the default limit: split by rows");
            layer.step(BATCH, xStep, new float[BATCH * HIDDEN], new float[BATCH * HIDDEN]);
            assertTrue(layer.stepSplitByRows(), "streaming step at the default limit: split by rows");

            layer.rowSplitWeights(weights);
            layer.infer(x, BATCH, LONG_TIME, null, null, null);
            assertTrue(layer.splitByRows(), "inference with weights equal to the limit: split by rows");

            layer.rowSplitWeights(weights - 1);
            assertArrayEquals(rows, layer.infer(x, BATCH, LONG_TIME, null, null, null).output(),
                    "inference split by units against split by rows");
            assertTrue(!layer.splitByRows() && layer.unitMembers() == 2,
                    "inference over the limit: split by units, found by rows " + layer.splitByRows() + ", "
                            + layer.unitMembers() + " unit members");
            layer.step(BATCH, xStep, new float[BATCH * HIDDEN], new float[BATCH * HIDDEN]);
            assertFalse(layer.stepSplitByRows(), "streaming step over the limit: split by units");
            layer.rowSplitWeights(weights);
            RecurrentOutput byRows = layer.forward(x, BATCH, LONG_TIME, null, null, null);
            assertTrue(layer.splitByRows(), "training forward at the limit: split by rows");
            float[] dOutput = Harness.uniform(random, BATCH * LONG_TIME * HIDDEN, 1);
            float[] rowOutput = byRows.output().clone();
            float[] rowDInput = layer.backward(dOutput, null, null).dInput().clone();
            float[] rowGradients = layer.parameters().gradients().clone();
            layer.parameters().zeroGradients();

            layer.rowSplitWeights(weights - 1);
            assertArrayEquals(rowOutput, layer.forward(x, BATCH, LONG_TIME, null, null, null).output(),
                    "training forward split by units against split by rows");
            assertTrue(!layer.splitByRows() && layer.unitMembers() == 2,
                    "training forward over the limit: split by units, found by rows " + layer.splitByRows());
            assertArrayEquals(rowDInput, layer.backward(dOutput, null, null).dInput(),
                    "backward split by units against split by rows");
            assertArrayEquals(rowGradients, layer.parameters().gradients(), "weight gradients");
        } finally {
            layer.close();
        }
    }

    /**
     * The default thresholds: a step is split over units only with slices of at least 64 units and at least
     * 2<sup>16</sup> recurrent multiply-adds per member.
     */
    @Test
    void defaultSplitFollowsTheWorkPerStep() {
        assertEquals(2, unitMembersAfterOnePass(new GruLayer(new ScalarBackend(), 8, 256, GruLayer.Form.RESET_AFTER,
                OutputMode.LAST), 1), "GRU of 256 units, batch 1: 98,304 multiply-adds per member");
        assertEquals(2, unitMembersAfterOnePass(new LstmLayer(new ScalarBackend(), 8, 128, OutputMode.LAST), 2),
                "LSTM of 128 units, batch 2: 65,536 per member");
        assertEquals(1, unitMembersAfterOnePass(new LstmLayer(new ScalarBackend(), 8, 128, OutputMode.LAST), 1),
                "LSTM of 128 units, batch 1: 32,768 per member");
        assertEquals(1, unitMembersAfterOnePass(new LstmLayer(new ScalarBackend(), 8, 64, OutputMode.LAST), 64),
                "LSTM of 64 units: slices of 32 units");
    }

    private static int unitMembersAfterOnePass(RecurrentLayer layer, int batch) {
        layer.initialize(1).threads(2);
        try {
            layer.forward(new float[batch * 2 * 8], batch, 2, null, null, null);
            return layer.unitMembers();
        } finally {
            layer.close();
        }
    }

    @Test
    void threadsAreValidatedAndReusable() {
        LstmLayer lstm = new LstmLayer(new ScalarBackend(), 4, 64, OutputMode.LAST);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lstm.threads(0));
        assertEquals("lstm: threads must be >= 1, found 0", e.getMessage());
        lstm.initialize(1).threads(2);
        assertEquals(2, lstm.threads());
        float[] x = new float[2 * 3 * 4];
        float[] first = lstm.forward(x, 2, 3, null, null, null).output().clone();
        lstm.close();
        assertArrayEquals(first, lstm.forward(x, 2, 3, null, null, null).output(), "usable after close()");
        lstm.close();
    }

    @Test
    void badThreadsPropertyIsNamed() {
        String old = System.getProperty("jrnn.threads");
        try {
            System.setProperty("jrnn.threads", "many");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new LstmLayer(new ScalarBackend(), 2, 2, OutputMode.LAST));
            assertEquals("-Djrnn.threads must be an integer >= 1, found 'many'", e.getMessage());
            System.setProperty("jrnn.threads", "3");
            assertEquals(3, new LstmLayer(new ScalarBackend(), 2, 2, OutputMode.LAST).threads());
        } finally {
            if (old == null) {
                System.clearProperty("jrnn.threads");
            } else {
                System.setProperty("jrnn.threads", old);
            }
        }
    }
}
