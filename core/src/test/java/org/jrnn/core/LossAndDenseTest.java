package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.jrnn.tck.GradientChecker;
import org.junit.jupiter.api.Test;

/** Dense layer and losses against direct double computations and central differences. */
class LossAndDenseTest {
    private final Backend backend = Backends.get("scalar");

    @Test
    void crossEntropyValueAndGradientWithMaskedRows() {
        int rows = 4;
        int classes = 5;
        float[] logits = Harness.uniform(new SplittableRandom(1), rows * classes, 3);
        int[] targets = {2, SoftmaxCrossEntropy.IGNORE, 0, 4};
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(backend);
        double loss = ce.forward(logits, rows, classes, targets);
        double[] point = Harness.toDouble(logits);
        assertEquals(exactCrossEntropy(point, rows, classes, targets), loss, 1e-6);
        GradientChecker.Report report = GradientChecker.check(p -> exactCrossEntropy(p, rows, classes, targets), point,
                Harness.toDouble(ce.gradient()), List.of());
        GradientChecker.assertPassed("cross-entropy", report);
        for (int c = 0; c < classes; c++) {
            assertEquals(0f, ce.gradient()[classes + c], "masked row has no gradient");
        }
    }

    private static double exactCrossEntropy(double[] logits, int rows, int classes, int[] targets) {
        double loss = 0;
        int counted = 0;
        for (int r = 0; r < rows; r++) {
            if (targets[r] == SoftmaxCrossEntropy.IGNORE) {
                continue;
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[r * classes + c]);
            }
            loss += Math.log(sum) - logits[r * classes + targets[r]];
            counted++;
        }
        return loss / counted;
    }

    @Test
    void meanSquaredErrorValueAndGradient() {
        float[] y = {1f, -2f, 0.5f};
        float[] t = {0f, -1f, 1.5f};
        MeanSquaredError mse = new MeanSquaredError(backend);
        assertEquals((1 + 1 + 1) / 3.0, mse.forward(y, t), 1e-7);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {2f / 3, -2f / 3, -2f / 3}, mse.gradient(), 1e-7f);
    }

    @Test
    void denseGradientsMatchCentralDifferences() {
        int rows = 3;
        int in = 4;
        int out = 5;
        SplittableRandom random = new SplittableRandom(8);
        DenseLayer dense = new DenseLayer(backend, in, out);
        float[] params = Harness.uniform(random, dense.parameters().size(), 1);
        System.arraycopy(params, 0, dense.parameters().values(), 0, params.length);
        float[] x = Harness.uniform(random, rows * in, 1);
        float[] r = Harness.uniform(random, rows * out, 1);
        dense.forward(x, rows);
        dense.parameters().zeroGradients();
        float[] dx = dense.backward(r);
        double[] analytic = new double[params.length + x.length];
        for (int i = 0; i < params.length; i++) {
            analytic[i] = dense.parameters().gradients()[i];
        }
        for (int i = 0; i < x.length; i++) {
            analytic[params.length + i] = dx[i];
        }
        double[] point = new double[analytic.length];
        for (int i = 0; i < params.length; i++) {
            point[i] = params[i];
        }
        for (int i = 0; i < x.length; i++) {
            point[params.length + i] = x[i];
        }
        GradientChecker.Report report = GradientChecker.check(p -> {
            double loss = 0;
            for (int row = 0; row < rows; row++) {
                for (int o = 0; o < out; o++) {
                    double y = p[in * out + o];
                    for (int k = 0; k < in; k++) {
                        y += p[o * in + k] * p[params.length + row * in + k];
                    }
                    loss += r[row * out + o] * y;
                }
            }
            return loss;
        }, point, analytic, List.of(new GradientChecker.Block("weight", 0, in * out),
                new GradientChecker.Block("bias", in * out, out), new GradientChecker.Block("x", params.length, x.length)));
        GradientChecker.assertPassed("dense", report);
    }

    @Test
    void sgdAndAdamMoveAgainstTheGradient() {
        DenseLayer dense = new DenseLayer(backend, 1, 1);
        dense.parameters().values()[0] = 1f;
        dense.parameters().gradients()[0] = 2f;
        new Sgd(backend, 0.1f).step(List.of(dense.parameters()));
        assertEquals(0.8f, dense.parameters().values()[0], 1e-7f);
        new Adam(backend, 0.1f).step(List.of(dense.parameters()));
        // first Adam step moves by lr·sign(g) (bias-corrected m/sqrt(v) = g/|g|)
        assertEquals(0.7f, dense.parameters().values()[0], 1e-6f);
    }
}
