package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.SplittableRandom;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.jrnn.tck.GradientChecker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Gradient checks of whole models on the registry's backend: embedding, stacked layers, bidirectional stages with
 * per-sequence lengths in every merge mode, dropout with a fixed mask, hierarchical softmax and regression heads.
 */
class SequenceModelGradientTest {
    private final Backend backend = Backends.get("scalar");

    static int[] tokens(SplittableRandom r, int n, int vocabulary) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(vocabulary);
        }
        return t;
    }

    static float[] uniform(SplittableRandom r, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((2 * r.nextDouble() - 1) * scale);
        }
        return x;
    }

    private static void assertGradients(SequenceModel model, Batch batch) {
        GradientChecker.assertPassed(model.spec().toString(), ModelGradients.check(model, batch));
    }

    @Test
    void embeddingAndStackedLstmsClassifyingWholeSequences() {
        SequenceModel model = SequenceModel.builder(backend).embedding(7, 3).lstm(4, OutputMode.SEQUENCE)
                .lstm(5, OutputMode.LAST).softmax(7).build(1);
        SplittableRandom r = new SplittableRandom(2);
        Batch batch = Batch.ofTokens(3, 4, tokens(r, 12, 7), new int[] {4, 2, 3}).withClasses(new int[] {1, 6, 0});
        assertGradients(model, batch);
    }

    @ParameterizedTest
    @EnumSource(Bidirectional.Merge.class)
    void bidirectionalGruTaggingEveryStepWithLengths(Bidirectional.Merge merge) {
        SequenceModel model = SequenceModel.builder(backend).embedding(5, 3)
                .bidirectional(Cell.GRU, 4, OutputMode.SEQUENCE, merge).softmax(3).build(3);
        SplittableRandom r = new SplittableRandom(4);
        Batch batch = Batch.ofTokens(3, 5, tokens(r, 15, 5), new int[] {2, 5, 3}).withClasses(tokens(r, 15, 3));
        assertGradients(model, batch);
    }

    @ParameterizedTest
    @EnumSource(value = Cell.class, names = {"LSTM", "GRU_RESET_BEFORE", "RNN_TANH"})
    void bidirectionalLastStepRegression(Cell cell) {
        SequenceModel model = SequenceModel.builder(backend).input(2)
                .bidirectional(cell, 3, OutputMode.LAST, Bidirectional.Merge.CONCAT).regression(2).build(5);
        SplittableRandom r = new SplittableRandom(6);
        Batch batch = Batch.ofInputs(3, 4, uniform(r, 24, 1), new int[] {1, 4, 3}).withValues(uniform(r, 6, 1));
        assertGradients(model, batch);
    }

    @Test
    void dropoutWithAFixedMaskAndHierarchicalSoftmax() {
        long[] counts = {50, 3, 20, 1, 7, 12};
        SequenceModel model = SequenceModel.builder(backend).embedding(6, 4).dropout(0.3f)
                .lstm(5, OutputMode.SEQUENCE).dropout(0.5f).hierarchicalSoftmax(counts).build(7);
        SplittableRandom r = new SplittableRandom(8);
        Batch batch = Batch.ofTokens(2, 4, tokens(r, 8, 6), new int[] {4, 3}).withClasses(tokens(r, 8, 6));
        assertGradients(model, batch);
    }

    @Test
    void sequenceRegressionIgnoresPadding() {
        SequenceModel model = SequenceModel.builder(backend).input(3).rnn(4, OutputMode.SEQUENCE).regression(1)
                .build(9);
        SplittableRandom r = new SplittableRandom(10);
        Batch batch = Batch.ofInputs(2, 3, uniform(r, 18, 1), new int[] {3, 1}).withValues(uniform(r, 6, 1));
        assertGradients(model, batch);
    }

    @Test
    void checkerCatchesADeliberatelyWrongOutputGradient() {
        SequenceModel model = SequenceModel.builder(backend).embedding(5, 3).lstm(4, OutputMode.LAST).softmax(5)
                .build(11);
        SplittableRandom r = new SplittableRandom(12);
        Batch batch = Batch.ofTokens(2, 3, tokens(r, 6, 5), null).withClasses(new int[] {1, 2});
        GradientChecker.Report report = ModelGradients.check(model.parameters(), model::zeroGradients,
                () -> model.forward(batch, true), () -> {
                    model.backward();
                    // a wrong backward: the output layer's weight gradient with the wrong sign
                    float[] g = model.output().parameters().get(0).gradients();
                    for (int i = 0; i < g.length; i++) {
                        g[i] = -g[i];
                    }
                });
        assertFalse(report.passed(), "a sign flip in the output gradient went unnoticed: " + report);
    }
}
