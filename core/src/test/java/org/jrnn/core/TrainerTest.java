package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.junit.jupiter.api.Test;

/** The training loop: callbacks, early stopping, clipping, the non-finite guard, truncated BPTT. */
class TrainerTest {
    private final Backend backend = Backends.get("scalar");

    private SequenceModel model() {
        return SequenceModel.builder(backend).embedding(5, 3).lstm(4, OutputMode.SEQUENCE).softmax(5).build(1);
    }

    private static Batch batch(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return Batch.ofTokens(2, 3, SequenceModelGradientTest.tokens(r, 6, 5), null)
                .withClasses(SequenceModelGradientTest.tokens(r, 6, 5));
    }

    private static List<float[]> snapshot(SequenceModel m) {
        List<float[]> out = new ArrayList<>();
        m.allParameters().forEach(p -> out.add(p.values().clone()));
        return out;
    }

    @Test
    void callbacksSeeEveryStepAndEpoch() {
        List<TrainingListener.Step> steps = new ArrayList<>();
        List<TrainingListener.Epoch> epochs = new ArrayList<>();
        int[] ends = new int[1];
        Trainer trainer = new Trainer(model(), new Sgd(backend, 0.1f)).listener(new TrainingListener() {
            @Override
            public void onStep(Trainer t, Step step) {
                steps.add(step);
            }

            @Override
            public void onEpoch(Trainer t, Epoch epoch) {
                epochs.add(epoch);
            }

            @Override
            public void onEnd(Trainer t) {
                ends[0]++;
            }
        });
        List<TrainingListener.Epoch> history = trainer.fit(List.of(batch(1), batch(2), batch(3)), List.of(batch(4)),
                2);
        assertEquals(6, steps.size());
        assertEquals(6, steps.get(5).step());
        assertEquals(1, steps.get(5).epoch());
        assertEquals(history, epochs);
        assertEquals(1, ends[0]);
        assertTrue(Double.isFinite(epochs.get(1).validationLoss()));
        assertTrue(steps.stream().allMatch(s -> s.skipped() == null && Double.isFinite(s.gradientNorm())));
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestParameters() {
        SequenceModel model = model();
        // a rate so large that training diverges after the first epochs
        EarlyStopping stopping = new EarlyStopping(2, 0, true);
        Trainer trainer = new Trainer(model, new Sgd(backend, 40f)).listener(stopping);
        List<Batch> data = List.of(batch(1), batch(2));
        List<TrainingListener.Epoch> history = trainer.fit(data, data, 50);
        assertTrue(history.size() < 50, "stopped early: " + history.size());
        assertEquals(stopping.bestEpoch() + 3, history.size());
        assertEquals(stopping.best(), trainer.evaluate(data), 1e-6, "the best epoch's parameters are restored");
    }

    @Test
    void clippingByNormAndByValue() {
        SequenceModel model = model();
        model.zeroGradients();
        model.forward(batch(1), true);
        model.backward();
        double norm = Clipping.globalNorm(backend, model.parameters());
        double reported = Clipping.byGlobalNorm(backend, model.parameters(), (float) (norm / 4));
        assertEquals(norm, reported, 0);
        assertEquals(norm / 4, Clipping.globalNorm(backend, model.parameters()), norm * 1e-5);
        Clipping.byValue(backend, model.parameters(), 1e-3f);
        for (Parameters p : model.parameters()) {
            for (float g : p.gradients()) {
                assertTrue(Math.abs(g) <= 1e-3f, "clipped gradient " + g);
            }
        }
    }

    @Test
    void aNonFiniteLossOrGradientChangesNothingAndNamesTheStep() {
        SequenceModel model = model();
        Adam adam = new Adam(backend, 0.1f);
        Trainer trainer = new Trainer(model, adam);
        trainer.step(batch(1));
        // poison one weight of the recurrent layer: the loss becomes NaN
        Parameters lstm = model.layers().get(0).parameters().get(0);
        lstm.values()[3] = Float.NaN;
        List<float[]> before = snapshot(model);
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> trainer.step(batch(2)));
        assertEquals(2, e.step());
        assertEquals("loss", e.where());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), model.allParameters().get(i).values());
        }
        assertEquals(1, adam.steps());
    }

    @Test
    void anInfiniteGradientWithAFiniteLossIsSkippedWhenAskedAndReported() {
        SequenceModel model = SequenceModel.builder(backend).input(2).rnn(3, OutputMode.LAST).regression(1).build(2);
        RmsProp rmsProp = new RmsProp(backend, 0.01f);
        Trainer trainer = new Trainer(model, rmsProp).skipNonFinite(true);
        TrainingListener.Step[] seen = new TrainingListener.Step[1];
        trainer.listener(new TrainingListener() {
            @Override
            public void onStep(Trainer t, Step step) {
                seen[0] = step;
            }
        });
        Batch ok = Batch.ofInputs(1, 2, new float[] {0.5f, -1f, 0.25f, 1f}, null).withValues(new float[] {0.5f});
        trainer.step(ok);
        List<float[]> before = snapshot(model);
        // the squared error (in double) is finite, its float gradient 2·(y − t) overflows
        Batch huge = Batch.ofInputs(1, 2, new float[] {0.5f, -1f, 0.25f, 1f}, null)
                .withValues(new float[] {3e38f});
        TrainingListener.Step step = trainer.step(huge);
        assertTrue(Double.isFinite(step.loss()), "loss " + step.loss());
        assertNotNull(step.skipped(), "the step must be refused");
        assertEquals(step, seen[0]);
        assertEquals(2, step.skipped().step());
        // the first non-finite gradient in parameter order, named as owner.tensor[index]
        assertEquals("layers.1.rnn_tanh.weight_ih[0]", step.skipped().where());
        assertTrue(step.skipped().getMessage().endsWith("no parameter was changed"), step.skipped().getMessage());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), model.allParameters().get(i).values());
        }
        assertEquals(1, rmsProp.steps());
        trainer.step(ok);
        assertEquals(2, rmsProp.steps(), "training goes on after a skipped step");
    }

    @Test
    void carriedStateMakesChunksContinueTheStream() {
        SequenceModel model = SequenceModel.builder(backend).embedding(5, 3).gru(4, OutputMode.SEQUENCE)
                .lstm(3, OutputMode.SEQUENCE).softmax(5).build(2);
        SplittableRandom r = new SplittableRandom(3);
        int[] stream = SequenceModelGradientTest.tokens(r, 2 * 12 + 1, 5);
        List<Batch> chunks = Batching.streams(stream, 2, 4);
        assertEquals(3, chunks.size());
        // row b of chunk i continues row b of chunk i - 1
        assertEquals(stream[4], chunks.get(1).tokens()[0]);
        assertEquals(stream[12 + 4], chunks.get(1).tokens()[4]);
        assertEquals(stream[5], chunks.get(1).classes()[0]);
        float[] whole = new float[2 * 12 * 5];
        int[] wholeTokens = new int[24];
        System.arraycopy(stream, 0, wholeTokens, 0, 12);
        System.arraycopy(stream, 12, wholeTokens, 12, 12);
        System.arraycopy(model.predict(Batch.ofTokens(2, 12, wholeTokens, null)), 0, whole, 0, whole.length);
        model.carryState(true);
        for (int i = 0; i < 3; i++) {
            float[] part = model.predict(chunks.get(i));
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < 4; t++) {
                    for (int c = 0; c < 5; c++) {
                        assertEquals(whole[(b * 12 + i * 4 + t) * 5 + c], part[(b * 4 + t) * 5 + c], 1e-6,
                                "chunk " + i + " row " + b + " step " + t);
                    }
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> model.predict(Batch.ofTokens(3, 4, new int[12], null)),
                "a batch of another size cannot continue the streams");
        model.resetState();
        model.predict(Batch.ofTokens(3, 4, new int[12], null));
        assertThrows(IllegalStateException.class, () -> new Trainer(model, new Sgd(backend, 0.1f)).shuffle(1)
                .fit(chunks, List.of(), 1));
    }

    @Test
    void truncatedBpttTrainsAStatefulLanguageModel() {
        SequenceModel model = SequenceModel.builder(backend).embedding(4, 4).lstm(16, OutputMode.SEQUENCE)
                .softmax(4).build(5).carryState(true);
        // a periodic stream whose period (7) is longer than a chunk (5): only carried state can predict it all
        int[] stream = new int[2 * 7 * 30 + 1];
        int[] pattern = {0, 1, 2, 3, 1, 0, 2};
        for (int i = 0; i < stream.length; i++) {
            stream[i] = pattern[i % 7];
        }
        List<Batch> chunks = Batching.streams(stream, 2, 5);
        List<TrainingListener.Epoch> history = new Trainer(model, new Adam(backend, 0.02f)).fit(chunks, chunks, 30);
        double last = history.get(history.size() - 1).validationLoss();
        assertTrue(last < 0.05, "nats per token after training: " + last + " " + history.get(0));
    }
}
