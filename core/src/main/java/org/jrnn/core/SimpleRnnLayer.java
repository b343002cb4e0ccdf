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
    protected void stepForwardSlice(int t, int r0, int r1, int j0, int j1) {
        sliceStep(r1 - r0, j0, j1, gateBuffer, gateOffset(t) + r0 * gateWidth, recurrentInput(),
                stateOffset(t) + r0 * hidden, states[0], stateOffset(t + 1) + r0 * hidden);
    }

    @Override
    protected void streamSlice(int r0, int r1, float[] x, float[] hIn, float[] h, float[] c, int j0, int j1) {
        sliceInput(r0, r1, x, j0, j1);
        sliceStep(r1 - r0, j0, j1, streamGates, r0 * gateWidth, hIn, r0 * hidden, h, r0 * hidden);
    }

    /** Units {@code [j0, j1)} of one step: the recurrent product of {@code hIn} added at {@code g}, then act. */
    private void sliceStep(int rows, int j0, int j1, float[] pre, int g, float[] hIn, int hInOff,
                           float[] hOut, int hOutOff) {
        addSliceProduct(rows, hIn, hInOff, hidden, wHh, j0, j1, 1, pre, g);
        gates.rnnForward(activation, rows, j1 - j0, pre, g + j0, hidden, hOut, hOutOff + j0, hidden);
    }

    @Override
    protected void stepBackwardSlice(int t, int r0, int r1, int j0, int j1, float[] dSlice, float[] dRecurrentSlice,
                                     int dOff) {
        int ds = r0 * hidden + j0;
        gates.rnnBackward(activation, r1 - r0, j1 - j0, states[0], stateOffset(t + 1) + ds, hidden, dStates[0], ds,
                hidden, dSlice, dOff + ds, hidden);
    }
}
