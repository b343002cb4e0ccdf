package org.jrnn.core;

import org.jrnn.spi.Backend;
import org.jrnn.spi.RnnActivation;

/** The recurrent cells, named as PyTorch's {@code mode} strings where PyTorch has them. */
public enum Cell {
    LSTM,
    /** GRU with the reset gate after the recurrent product (PyTorch's). */
    GRU,
    /** The original GRU, reset gate applied to h before the recurrent product. */
    GRU_RESET_BEFORE,
    RNN_TANH,
    RNN_RELU;

    /** A new layer of this cell with zero parameters. */
    public RecurrentLayer create(Backend backend, int inputSize, int hidden, OutputMode mode) {
        return switch (this) {
            case LSTM -> new LstmLayer(backend, inputSize, hidden, mode);
            case GRU -> new GruLayer(backend, inputSize, hidden, GruLayer.Form.RESET_AFTER, mode);
            case GRU_RESET_BEFORE -> new GruLayer(backend, inputSize, hidden, GruLayer.Form.RESET_BEFORE, mode);
            case RNN_TANH -> new SimpleRnnLayer(backend, inputSize, hidden, RnnActivation.TANH, mode);
            case RNN_RELU -> new SimpleRnnLayer(backend, inputSize, hidden, RnnActivation.RELU, mode);
        };
    }

    /** Whether the cell has a cell state besides h (the LSTM). */
    public boolean hasCellState() {
        return this == LSTM;
    }
}
