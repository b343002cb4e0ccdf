package org.jrnn.core;

import java.util.List;
import java.util.Objects;

import org.jrnn.spi.Backend;

/** An output layer that starts with a dense layer from the features to its outputs. */
public abstract class DenseOutput implements OutputLayer {
    protected final Backend backend;
    protected final DenseLayer dense;

    DenseOutput(Backend backend, int inputSize, int outputs) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.dense = new DenseLayer(backend, inputSize, outputs);
    }

    /** The dense layer (PyTorch's {@code nn.Linear} layout). */
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
    public List<Parameters> parameters() {
        return List.of(dense.parameters());
    }
}
