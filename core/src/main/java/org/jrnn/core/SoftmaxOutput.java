package org.jrnn.core;

import java.util.List;
import java.util.Objects;

import org.jrnn.spi.Backend;

/** A dense layer to one logit per class, then softmax and cross-entropy. */
public final class SoftmaxOutput implements OutputLayer {
    private final Backend backend;
    private final DenseLayer dense;
    private final SoftmaxCrossEntropy loss;
    private float[] logProbs;

    public SoftmaxOutput(Backend backend, int inputSize, int classes) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.dense = new DenseLayer(backend, inputSize, classes);
        this.loss = new SoftmaxCrossEntropy(backend);
    }

    public SoftmaxOutput initialize(long seed) {
        dense.initialize(seed);
        return this;
    }

    public DenseLayer dense() {
        return dense;
    }

    @Override
    public int inputSize() {
        return dense.inputSize();
    }

    @Override
    public int outputSize() {
        return dense.outputSize();
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

    @Override
    public List<Parameters> parameters() {
        return List.of(dense.parameters());
    }
}
