package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.jrnn.scalar.ScalarBackend;
import org.jrnn.tck.ReferenceCells.Kind;

/**
 * {@link RecurrentLayer#infer} gives forward's outputs bit for bit, on every path: the projection of all steps
 * at once or step by step (where it reuses one step's gate rows), one thread or split by units or by rows, with
 * and without variable lengths, with the inputs gathered or read in place; and backward refuses to follow it.
 */
class InferenceTest {
    private static final int INPUT = 13;
    private static final int HIDDEN = 20;
    /** Long enough to pack the weights, so that a batch of 32 projects step by step. */
    private static final int TIME = RecurrentLayer.PACKING_MIN_STEPS;
    private static final int PER_STEP_BATCH = RecurrentLayer.PER_STEP_PROJECTION_BATCH;

    private record Pass(float[] output, float[] hN, float[] cN) {
        static Pass of(RecurrentOutput out) {
            return new Pass(out.output().clone(), out.hN().clone(), out.cN() == null ? null : out.cN().clone());
        }
    }

    private static RecurrentLayer layer(Kind kind, int threads, boolean byRows) {
        return layer(kind, threads, byRows, false);
    }

    /** Split by units, or by rows, or with no split and the input projection pipelined on the other thread. */
    private static RecurrentLayer layer(Kind kind, int threads, boolean byRows, boolean pipelined) {
        RecurrentLayer layer = Harness.layer(kind, new ScalarBackend(), INPUT, HIDDEN, OutputMode.SEQUENCE)
                .initialize(5).threads(threads);
        layer.splitting(pipelined ? Long.MAX_VALUE : 1, 8);
        layer.rowSplitting(byRows ? 1 : Integer.MAX_VALUE);
        layer.pipelining(pipelined ? 1 : Long.MAX_VALUE, true);
        if (byRows || pipelined) {
            // a pass splits by rows or pipelines only when it multiplies packed weights; batch 3 would not pack
            // by itself
            layer.packing(true);
        }
        return layer;
    }

    private static int[] lengths(int batch, boolean ragged) {
        if (!ragged) {
            return null;
        }
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = 1 + (b * 7) % TIME;
        }
        return lengths;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void inferGivesForwardsOutputsOnEveryPath(Kind kind) {
        for (int batch : new int[] {1, 3, PER_STEP_BATCH}) {
            for (boolean ragged : new boolean[] {false, true}) {
                for (int split = 0; split < 4; split++) {
                    int threads = split == 0 ? 1 : 2;
                    String where = kind + ", batch " + batch + (ragged ? ", ragged" : "") + ", "
                            + new String[] {"1 thread", "split by units", "split by rows", "pipelined"}[split];
                    SplittableRandom random = new SplittableRandom(batch * 31L + split);
                    float[] x = Harness.uniform(random, batch * TIME * INPUT, 1);
                    float[] h0 = Harness.uniform(random, batch * HIDDEN, 0.5);
                    float[] c0 = kind == Kind.LSTM ? Harness.uniform(random, batch * HIDDEN, 0.5) : null;
                    int[] lengths = lengths(batch, ragged);
                    RecurrentLayer layer = layer(kind, threads, split == 2, split == 3);
                    try {
                        Pass forward = Pass.of(layer.forward(x, batch, TIME, lengths, h0, c0));
                        Pass inferred = Pass.of(layer.infer(x, batch, TIME, lengths, h0, c0));
                        if (batch == PER_STEP_BATCH) {
                            assertTrue(layer.projectsPerStep(), where + ": the test means the per-step projection");
                        }
                        // full-length passes that project one step's rows at a time read x in place (a cell
                        // that does not run its steps in slices does not split by rows)
                        boolean inPlace = !ragged && (batch != 3 || layer.splitByRows());
                        assertEquals(split == 2 && batch > 1 && kind != Kind.GRU_RESET_BEFORE, layer.splitByRows(),
                                where + ": split by rows");
                        assertEquals(inPlace, layer.readsInputsInPlace(), where + ": inputs read in place");
                        // a pass that projects each step in its step has nothing to pipeline
                        assertEquals(split == 3 && batch < PER_STEP_BATCH && kind != Kind.GRU_RESET_BEFORE,
                                layer.pipelinedProjection(), where + ": projection pipelined");
                        assertArrayEquals(forward.output(), inferred.output(), where + ": output");
                        assertArrayEquals(forward.hN(), inferred.hN(), where + ": h_n");
                        assertArrayEquals(forward.cN(), inferred.cN(), where + ": c_n");
                        // and a pass that keeps its caches after an inference pass is unchanged too
                        Pass again = Pass.of(layer.forward(x, batch, TIME, lengths, h0, c0));
                        assertArrayEquals(forward.output(), again.output(), where + ": forward after infer");
                    } finally {
                        layer.close();
                    }
                }
            }
        }
    }

    @Test
    void backwardAfterInferThrowsUntilTheNextForward() {
        int batch = PER_STEP_BATCH;
        SplittableRandom random = new SplittableRandom(3);
        float[] x = Harness.uniform(random, batch * TIME * INPUT, 1);
        float[] dOut = Harness.uniform(random, batch * TIME * HIDDEN, 1);
        RecurrentLayer layer = layer(Kind.LSTM, 1, false);
        layer.forward(x, batch, TIME, null, null, null);
        RecurrentGradients expected = layer.backward(dOut, null, null);
        float[] dInput = expected.dInput().clone();
        float[] paramGrads = layer.parameters().gradients().clone();

        layer.forward(x, batch, TIME, null, null, null);
        // infer overwrites the gate rows that forward kept: backward must not run on them
        layer.infer(x, batch, TIME, null, null, null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> layer.backward(dOut, null, null));
        assertTrue(e.getMessage().contains("infer"), e.getMessage());

        layer.parameters().zeroGradients();
        layer.forward(x, batch, TIME, null, null, null);
        assertArrayEquals(dInput, layer.backward(dOut, null, null).dInput(), "backward after a new forward");
        assertArrayEquals(paramGrads, layer.parameters().gradients(), "parameter gradients");
    }

    @Test
    void inferNeverDropsOut() {
        int batch = 4;
        SplittableRandom random = new SplittableRandom(9);
        float[] x = Harness.uniform(random, batch * TIME * INPUT, 1);
        RecurrentLayer plain = layer(Kind.LSTM, 1, false);
        RecurrentLayer dropping = layer(Kind.LSTM, 1, false).recurrentDropout(0.5f, 11).training(true);
        float[] expected = plain.forward(x, batch, TIME, null, null, null).output().clone();
        assertArrayEquals(expected, dropping.infer(x, batch, TIME, null, null, null).output());
        assertEquals(0, dropping.recurrentDropoutPasses(), "masks drawn by infer");
        // the training forward still drops: its output differs
        float[] trained = dropping.forward(x, batch, TIME, null, null, null).output();
        assertEquals(1, dropping.recurrentDropoutPasses(), "masks drawn by forward");
        assertFalse(Arrays.equals(expected, trained), "a training forward with dropout 0.5 drops");
    }

    @Test
    void inferChecksItsArgumentsAsForwardDoes() {
        RecurrentLayer layer = layer(Kind.GRU, 1, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.infer(new float[5], 2, 3, null, null, null));
        assertTrue(e.getMessage().contains(String.valueOf(2 * 3 * INPUT)), e.getMessage());
    }

    /** Every recurrent layer of the model (both directions of a bidirectional stage) ran an inference pass last. */
    private static void assertRecurrentLayersInferred(SequenceModel model, String after) {
        int layers = 0;
        for (SequenceLayer stage : model.layers()) {
            for (RecurrentLayer layer : stage.recurrentLayers()) {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> layer.backward(null, null, null), after + ": backward of a layer");
                assertTrue(e.getMessage().contains("after infer"), after + ": " + e.getMessage());
                layers++;
            }
        }
        assertEquals(3, layers, after + ": recurrent layers checked");
    }

    @Test
    void modelPredictionsAndEvaluationsRunInferencePasses() {
        // a stacked and a bidirectional stage, batch large enough to project step by step
        SequenceModel model = SequenceModel.builder(new ScalarBackend()).embedding(7, INPUT)
                .lstm(HIDDEN, OutputMode.SEQUENCE)
                .bidirectional(Cell.GRU, HIDDEN, OutputMode.SEQUENCE, Bidirectional.Merge.CONCAT)
                .softmax(7).build(4);
        int batch = PER_STEP_BATCH;
        SplittableRandom random = new SplittableRandom(21);
        int[] tokens = random.ints(batch * TIME, 0, 7).toArray();
        int[] lengths = lengths(batch, true);
        Batch data = Batch.ofTokens(batch, TIME, tokens, lengths)
                .withClasses(random.ints(batch * TIME, 0, 7).toArray());

        double keptPassLoss = model.forward(data, false);
        // the same loss from inference passes, whose caches no backward may use
        assertEquals(keptPassLoss, model.evaluate(List.of(data)), 0.0, "evaluate = forward(b, false)");
        IllegalStateException e = assertThrows(IllegalStateException.class, model::backward);
        assertTrue(e.getMessage().contains("before forward"), e.getMessage());
        assertRecurrentLayersInferred(model, "evaluate");
        model.forward(data, false);
        model.predict(data);
        assertThrows(IllegalStateException.class, model::backward, "backward after predict");
        assertRecurrentLayersInferred(model, "predict");
        model.forward(data, true);
        model.backward();
    }
}
