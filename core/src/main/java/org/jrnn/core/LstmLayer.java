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
    protected void stepForward(int t, int rows) {
        float[] p = parameters.values();
        float[] h = states[0];
        float[] c = states[1];
        int g = gateOffset(t);
        matrix.gemm(false, true, rows, gateWidth, hidden, 1f, h, stateOffset(t), hidden, p, wHh, hidden,
                1f, gateBuffer, g, gateWidth);
        gates.lstmForward(rows, hidden, gateBuffer, g, gateWidth, c, stateOffset(t), hidden,
                c, stateOffset(t + 1), hidden, tanhC, stateOffset(t), hidden, h, stateOffset(t + 1), hidden);
    }

    @Override
    protected void streamStep(int batch, float[] h, float[] c) {
        matrix.gemm(false, true, batch, gateWidth, hidden, 1f, h, 0, hidden, parameters.values(), wHh, hidden,
                1f, streamGates, 0, gateWidth);
        gates.lstmForward(batch, hidden, streamGates, 0, gateWidth, c, 0, hidden, c, 0, hidden,
                streamWork, 0, hidden, h, 0, hidden);
    }

    @Override
    protected void stepBackward(int t, int rows) {
        float[] dh = dStates[0];
        float[] dc = dStates[1];
        int g = gateOffset(t);
        gates.lstmBackward(rows, hidden, gateBuffer, g, gateWidth, states[1], stateOffset(t), hidden,
                tanhC, stateOffset(t), hidden, dh, 0, hidden, dc, 0, hidden, dGates, g, gateWidth, dc, 0, hidden);
        // dh_{t-1} = dGates_t · W_hh (dh_t is consumed, so it is overwritten in place)
        matrix.gemm(false, false, rows, hidden, gateWidth, 1f, dGates, g, gateWidth, parameters.values(), wHh,
                hidden, 0f, dh, 0, hidden);
    }
}
