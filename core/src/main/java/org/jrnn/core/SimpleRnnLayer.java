package org.jrnn.core;

import java.util.Objects;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Layout;
import org.jrnn.spi.RnnActivation;

/** Simple (Elman) RNN layer: {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)} with tanh or ReLU. */
public final class SimpleRnnLayer extends RecurrentLayer {
    private final RnnActivation activation;

    /** A layer with zero parameters; call {@link #initialize(long)} or load weights. */
    public SimpleRnnLayer(Backend backend, int inputSize, int hidden, RnnActivation activation, OutputMode outputMode) {
        super("rnn", backend, inputSize, hidden, Layout.RNN_GATES, 1, outputMode);
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    public RnnActivation activation() {
        return activation;
    }

    @Override
    public SimpleRnnLayer initialize(long seed) {
        super.initialize(seed);
        return this;
    }


    @Override
    protected void allocateCell() {
        // the simple RNN caches nothing beyond the states
    }

    @Override
    protected void stepForwardSlice(int t, int rows, int j0, int j1) {
        int g = gateOffset(t);
        addSliceProduct(rows, states[0], stateOffset(t), hidden, wHh, j0, j1, 1, gateBuffer, g);
        gates.rnnForward(activation, rows, j1 - j0, gateBuffer, g + j0, hidden, states[0], stateOffset(t + 1) + j0,
                hidden);
    }

    @Override
    protected void streamSlice(int batch, float[] x, float[] hIn, float[] h, float[] c, int j0, int j1) {
        sliceInput(batch, x, j0, j1);
        addSliceProduct(batch, hIn, 0, hidden, wHh, j0, j1, 1, streamGates, 0);
        gates.rnnForward(activation, batch, j1 - j0, streamGates, j0, hidden, h, j0, hidden);
    }

    @Override
    protected void stepBackward(int t, int rows) {
        int g = gateOffset(t);
        float[] dh = dStates[0];
        gates.rnnBackward(activation, rows, hidden, states[0], stateOffset(t + 1), hidden, dh, 0, hidden,
                dGates, g, hidden);
        matrix.gemm(false, false, rows, hidden, hidden, 1f, dGates, g, hidden, parameters.values(), wHh, hidden,
                0f, dh, 0, hidden);
    }
}
