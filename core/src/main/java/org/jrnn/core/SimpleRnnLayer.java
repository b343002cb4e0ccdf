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
    protected void stepForward(int t, int rows) {
        int g = gateOffset(t);
        matrix.gemm(false, true, rows, hidden, hidden, 1f, states[0], stateOffset(t), hidden, parameters.values(),
                wHh, hidden, 1f, gateBuffer, g, hidden);
        gates.rnnForward(activation, rows, hidden, gateBuffer, g, hidden, states[0], stateOffset(t + 1), hidden);
    }

    @Override
    protected void streamStep(int batch, float[] h, float[] c) {
        matrix.gemm(false, true, batch, hidden, hidden, 1f, h, 0, hidden, parameters.values(), wHh, hidden,
                1f, streamGates, 0, hidden);
        gates.rnnForward(activation, batch, hidden, streamGates, 0, hidden, h, 0, hidden);
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
