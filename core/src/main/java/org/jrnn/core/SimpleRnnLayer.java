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
    protected void biasForInputProjection(float[] out) {
        System.arraycopy(parameters.values(), bIh, out, 0, gateWidth);
        vectors.axpy(gateWidth, 1f, parameters.values(), bHh, out, 0);
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
    protected void stepBackward(int t, int rows) {
        int g = gateOffset(t);
        float[] dh = dStates[0];
        gates.rnnBackward(activation, rows, hidden, states[0], stateOffset(t + 1), hidden, dh, 0, hidden,
                dGates, g, hidden);
        matrix.gemm(false, false, rows, hidden, hidden, 1f, dGates, g, hidden, parameters.values(), wHh, hidden,
                0f, dh, 0, hidden);
    }

    @Override
    protected void accumulateRecurrentGradients() {
        int rows = time * batch;
        float[] grad = parameters.gradients();
        matrix.gemm(true, false, hidden, hidden, rows, 1f, dGates, 0, hidden, states[0], 0, hidden,
                1f, grad, wHh, hidden);
        matrix.gemv(true, rows, hidden, 1f, dGates, 0, hidden, ones(), 0, 1f, grad, bHh);
    }
}
