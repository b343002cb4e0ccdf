package org.jrnn.core;

import org.jrnn.spi.Backend;

/** A dense layer to one logit per class, then softmax and cross-entropy. */
public final class SoftmaxOutput extends DenseOutput {
    private final SoftmaxCrossEntropy loss;
    private float[] logProbs;

    public SoftmaxOutput(Backend backend, int inputSize, int classes) {
        super(backend, inputSize, classes);
        this.loss = new SoftmaxCrossEntropy(backend);
    }

    public SoftmaxOutput initialize(long seed) {
        dense.initialize(seed);
        return this;
    }

    @Override
    public boolean classifier() {
        return true;
    }

    @Override
    public double loss(float[] x, int rows, int[] classes, float[] values, boolean[] valid) {
        if (classes == null) {
            throw new IllegalArgumentException("softmax output: needs class-id targets, found "
                    + (values == null ? "none" : "real values"));
        }
        float[] logits = dense.forward(x, rows);
        return loss.forward(logits, rows, dense.outputSize(), classes);
    }

    @Override
    public float[] backward() {
        return dense.backward(loss.gradient());
    }

    @Override
    public float[] predict(float[] x, int rows) {
        float[] logits = dense.forward(x, rows);
        int classes = dense.outputSize();
        if (logProbs == null || logProbs.length != rows * classes) {
            logProbs = new float[rows * classes];
        }
        backend.activations().logSoftmax(rows, classes, logits, 0, classes, logProbs, 0, classes);
        return logProbs;
    }
}
