package org.jrnn.core;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Layout;

/**
 * LSTM layer (Hochreiter and Schmidhuber 1997, with forget gate), PyTorch's equations and gate order
 * i, f, g, o. {@link #initialize(long)} sets the forget-gate bias to 1 (Jozefowicz et al. 2015).
 */
public final class LstmLayer extends RecurrentLayer {
    /** {@code [T][B][H]} tanh(c_t), cached for backward. */
    private float[] tanhC;

    /** A layer with zero parameters; call {@link #initialize(long)} or load weights. */
    public LstmLayer(Backend backend, int inputSize, int hidden, OutputMode outputMode) {
        super("lstm", backend, inputSize, hidden, Layout.LSTM_GATES, 2, outputMode);
    }

    @Override
    public LstmLayer initialize(long seed) {
        super.initialize(seed);
        java.util.Arrays.fill(parameters.values(), bIh + hidden, bIh + 2 * hidden, 1f);
        return this;
    }


    @Override
    protected void allocateCell() {
        tanhC = new float[time * batch * hidden];
    }

    @Override
    protected void stepForwardSlice(int t, int r0, int r1, int j0, int j1) {
        int s = stateOffset(t) + r0 * hidden;
        int next = stateOffset(t + 1) + r0 * hidden;
        sliceStep(r1 - r0, j0, j1, gateBuffer, gateOffset(t) + r0 * gateWidth, recurrentInput(), s, states[1], s,
                states[1], next, tanhC, cacheOffset(t) + r0 * hidden, states[0], next);
    }

    @Override
    protected void streamSlice(int r0, int r1, float[] x, float[] hIn, float[] h, float[] c, int j0, int j1) {
        sliceInput(r0, r1, x, j0, j1);
        int s = r0 * hidden;
        sliceStep(r1 - r0, j0, j1, streamGates, r0 * gateWidth, hIn, s, c, s, c, s, streamWork, s, h, s);
    }

    /**
     * Units {@code [j0, j1)} of one step, whose gate columns (at {@code g}, sliced layout) hold the input
     * projection: adds the recurrent product of {@code hIn}, then the gate step; states are {@code [rows][H]}.
     */
    private void sliceStep(int rows, int j0, int j1, float[] gateRows, int g, float[] hIn, int hInOff,
                           float[] cIn, int cInOff, float[] cOut, int cOutOff, float[] tanhCOut, int tanhCOff,
                           float[] hOut, int hOutOff) {
        addSliceProduct(rows, hIn, hInOff, hidden, wHh, j0, j1, 4, gateRows, g);
        gates.lstmForward(rows, j1 - j0, gateRows, g + 4 * j0, gateWidth, cIn, cInOff + j0, hidden,
                cOut, cOutOff + j0, hidden, tanhCOut, tanhCOff + j0, hidden, hOut, hOutOff + j0, hidden);
    }

    @Override
    protected void stepBackwardSlice(int t, int r0, int r1, int j0, int j1, float[] dSlice, float[] dRecurrentSlice,
                                     int dOff) {
        int st = stateOffset(t) + r0 * hidden + j0;
        int ds = r0 * hidden + j0;
        int g = r0 * gateWidth + 4 * j0;
        gates.lstmBackward(r1 - r0, j1 - j0, gateBuffer, gateOffset(t) + g, gateWidth, states[1], st, hidden,
                tanhC, st, hidden, dStates[0], ds, hidden, dStates[1], ds, hidden, dSlice, dOff + g, gateWidth,
                dStates[1], ds, hidden);
    }
}
