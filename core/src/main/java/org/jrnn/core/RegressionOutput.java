package org.jrnn.core;

import java.util.Arrays;

import org.jrnn.spi.Backend;

/** A dense layer to real outputs with mean squared error over the rows that count and their outputs. */
public final class RegressionOutput extends DenseOutput {
    private float[] gradient;

    public RegressionOutput(Backend backend, int inputSize, int outputs) {
        super(backend, inputSize, outputs);
    }

    public RegressionOutput initialize(long seed) {
        dense.initialize(seed);
        return this;
    }

    @Override
    public boolean classifier() {
        return false;
    }

    @Override
    public double loss(float[] x, int rows, int[] classes, float[] values, boolean[] valid) {
        int outputs = dense.outputSize();
        if (values == null || values.length != rows * outputs) {
            throw new IllegalArgumentException("regression output: needs value targets [rows=" + rows
                    + "][outputs=" + outputs + "] = " + (rows * outputs) + " values, found "
                    + (values == null ? classes == null ? "none" : "class ids" : values.length + " values"));
        }
        float[] y = dense.forward(x, rows);
        if (gradient == null || gradient.length != y.length) {
            gradient = new float[y.length];
        }
        System.arraycopy(y, 0, gradient, 0, y.length);
        backend.vectors().axpy(y.length, -1f, values, 0, gradient, 0);
        int counted = 0;
        for (int r = 0; r < rows; r++) {
            if (valid == null || valid[r]) {
                counted++;
            } else {
                Arrays.fill(gradient, r * outputs, (r + 1) * outputs, 0f);
            }
        }
        if (counted == 0) {
            return 0;
        }
        long n = (long) counted * outputs;
        double loss = backend.vectors().sumOfSquares(gradient.length, gradient, 0) / n;
        backend.vectors().scale(gradient.length, (float) (2.0 / n), gradient, 0);
        return loss;
    }

    @Override
    public float[] backward() {
        if (gradient == null) {
            throw new IllegalStateException("regression output: backward called before loss");
        }
        return dense.backward(gradient);
    }

    @Override
    public float[] predict(float[] x, int rows) {
        return dense.forward(x, rows);
    }
}
