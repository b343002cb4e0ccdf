package org.jrnn.core;

import java.util.Arrays;
import java.util.Objects;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Layout;

/**
 * GRU layer (Cho et al. 2014), gate order r, z, n, in either form:
 * <ul>
 *   <li>{@link Form#RESET_AFTER} — PyTorch's (and Keras {@code reset_after=True}, cuDNN):
 *       {@code n = tanh(W_in x + b_in + r·(W_hn h + b_hn))};</li>
 *   <li>{@link Form#RESET_BEFORE} — the original (Keras {@code reset_after=False}):
 *       {@code n = tanh(W_in x + b_in + W_hn (r·h) + b_hn)}.</li>
 * </ul>
 * Both end with {@code h' = (1 − z)·n + z·h}.
 */
public final class GruLayer extends RecurrentLayer {

    /** Where the reset gate acts. */
    public enum Form {
        /** Linear before reset: the reset gate multiplies the recurrent product (PyTorch). */
        RESET_AFTER,
        /** The reset gate multiplies h before the recurrent product (the original GRU). */
        RESET_BEFORE
    }

    private final Form form;
    /** {@code [T][B][3H]} recurrent products plus b_hh (the n block holds hn in both forms). */
    private float[] hg;
    /** {@code [T][B][3H]} gradient of hg (RESET_AFTER only; RESET_BEFORE uses dGates). */
    private float[] dHg;
    /** {@code [T][B][H]} r·h (RESET_BEFORE only). */
    private float[] rh;
    /** {@code [B][H]} gradient of r·h at one step (RESET_BEFORE only). */
    private float[] dRh;
    /** {@code [B][H]} r·h of a streaming step (reset-before form). */
    private float[] streamRh;

    /** A layer with zero parameters; call {@link #initialize(long)} or load weights. */
    public GruLayer(Backend backend, int inputSize, int hidden, Form form, OutputMode outputMode) {
        super("gru", backend, inputSize, hidden, Layout.GRU_GATES, 1, outputMode);
        this.form = Objects.requireNonNull(form, "form");
    }

    public Form form() {
        return form;
    }

    @Override
    public GruLayer initialize(long seed) {
        super.initialize(seed);
        return this;
    }

    @Override
    protected void biasForInputProjection(float[] out) {
        System.arraycopy(parameters.array(), bIh, out, 0, gateWidth);
    }

    @Override
    protected void allocateCell() {
        hg = new float[time * batch * gateWidth];
        if (form == Form.RESET_AFTER) {
            dHg = new float[time * batch * gateWidth];
        } else {
            rh = new float[time * batch * hidden];
            dRh = new float[batch * hidden];
        }
    }

    @Override
    protected boolean slicedSteps() {
        // the candidate's product needs r·h of every unit, so a step cannot be split with one barrier
        return form == Form.RESET_AFTER;
    }

    @Override
    protected void unpermuteCaches() {
        super.unpermuteCaches();
        unpermuteGates(hg);
    }

    @Override
    protected void stepForwardSlice(int t, int r0, int r1, int j0, int j1) {
        int g = gateOffset(t) + r0 * gateWidth;
        int s = stateOffset(t) + r0 * hidden;
        sliceStep(r1 - r0, j0, j1, gateBuffer, hg, g, recurrentInput(), states[0], s, rh, s, states[0],
                stateOffset(t + 1) + r0 * hidden);
    }

    @Override
    protected void allocateStream(int batch) {
        if (form == Form.RESET_BEFORE) {
            streamRh = new float[batch * hidden];
        }
    }

    @Override
    protected void streamSlice(int r0, int r1, float[] x, float[] hIn, float[] h, float[] c, int j0, int j1) {
        sliceInput(r0, r1, x, j0, j1);
        int s = r0 * hidden;
        sliceStep(r1 - r0, j0, j1, streamGates, streamWork, r0 * gateWidth, hIn, hIn, s, streamRh, s, h, s);
    }

    /**
     * Units {@code [j0, j1)} of one step. {@code gateRows} (input projection) and {@code hgRows} (filled here
     * with b_hh plus the recurrent product of {@code hProduct}) share the sliced layout at {@code g}; {@code rhRows}
     * takes r·h in the reset-before form, which always runs on the whole layer (see {@link #slicedSteps()}).
     * {@code hProduct} (what the recurrent products read: h, or h ⊙ mask under recurrent dropout) and {@code hIn}
     * (the previous state itself, for the direct path z·h) share the offset {@code hInOff}.
     */
    private void sliceStep(int rows, int j0, int j1, float[] gateRows, float[] hgRows, int g, float[] hProduct,
                           float[] hIn, int hInOff, float[] rhRows, int rhOff, float[] hOut, int hOutOff) {
        if (form == Form.RESET_AFTER) {
            biasedSliceProduct(rows, hProduct, hInOff, hidden, hidden, wHh, parameters.array(), bHh, j0, j1, hgRows,
                    g);
            gates.gruForward(rows, j1 - j0, gateRows, g + 3 * j0, gateWidth, hgRows, g + 3 * j0, gateWidth,
                    hIn, hInOff + j0, hidden, hOut, hOutOff + j0, hidden);
            return;
        }
        int twoH = 2 * hidden;
        fillSlice(parameters.array(), bHh, rows, j0, j1, hgRows, g);
        addSliceProduct(rows, hProduct, hInOff, hidden, wHh, 0, hidden, 2, hgRows, g);
        gates.gruResetForward(rows, hidden, gateRows, g, gateWidth, hgRows, g, gateWidth, hProduct, hInOff, hidden,
                rhRows, rhOff, hidden);
        matrix.gemm(false, true, rows, hidden, hidden, 1f, rhRows, rhOff, hidden, parameters.array(),
                wHh + twoH * hidden, hidden, 1f, hgRows, g + twoH, gateWidth);
        gates.gruCandidateForward(rows, hidden, gateRows, g, gateWidth, hgRows, g + twoH, gateWidth,
                hIn, hInOff, hidden, hOut, hOutOff, hidden);
    }

    @Override
    protected void clearBackward() {
        if (form == Form.RESET_AFTER) {
            clearFinishedRows(dHg);
        } else {
            // rows of finished sequences were not written by the last forward and may hold stale values;
            // they meet zero gradients in the weight GEMM, so make them finite zeros too
            for (int t = 0; t < time; t++) {
                Arrays.fill(rh, stateOffset(t) + activeRows(t) * hidden, stateOffset(t + 1), 0f);
            }
        }
    }

    @Override
    protected boolean slicedBackward() {
        // the reset-before form's candidate product needs r·h of every unit (as in slicedSteps)
        return form == Form.RESET_AFTER;
    }

    /** dHg: the reset-after form's recurrent products are kept apart from the pre-activations. */
    @Override
    protected float[] recurrentProductGradients() {
        return dHg;
    }

    @Override
    protected boolean recurrentDirectPath() {
        return true;
    }

    @Override
    protected void stepBackwardSlice(int t, int r0, int r1, int j0, int j1, float[] dSlice, float[] dRecurrentSlice,
                                     int dOff) {
        int row = r0 * gateWidth + 3 * j0;
        int g = gateOffset(t) + row;
        int ds = r0 * hidden + j0;
        float[] dh = dStates[0];
        gates.gruBackward(r1 - r0, j1 - j0, gateBuffer, g, gateWidth, hg, g, gateWidth, states[0],
                stateOffset(t) + ds, hidden, dh, ds, hidden, dSlice, dOff + row, gateWidth, dRecurrentSlice,
                dOff + row, gateWidth, dh, ds, hidden);
    }

    /** The reset-before form, which backpropagates on one thread. */
    @Override
    protected void stepBackward(int t, int rows) {
        float[] p = parameters.array();
        float[] h = states[0];
        float[] dh = dStates[0];
        int g = gateOffset(t);
        int twoH = 2 * hidden;
        float[] hProduct = recurrentInput();
        gates.gruCandidateBackward(rows, hidden, gateBuffer, g, gateWidth, h, stateOffset(t), hidden, dh, 0, hidden,
                dGates, g, gateWidth, dh, 0, hidden);
        matrix.gemm(false, false, rows, hidden, hidden, 1f, dGates, g + twoH, gateWidth, p, wHh + twoH * hidden,
                hidden, 0f, dRh, 0, hidden);
        float[] dProduct = recurrentGradientTarget(dh, rows);
        gates.gruResetBackward(rows, hidden, gateBuffer, g, gateWidth, hProduct, stateOffset(t), hidden, dRh, 0,
                hidden, dGates, g, gateWidth, dProduct, 0, hidden);
        matrix.gemm(false, false, rows, hidden, twoH, 1f, dGates, g, gateWidth, p, wHh, hidden, 1f, dProduct, 0,
                hidden);
        addMaskedGradient(dh, rows);
    }

    /** The reset-before form, which backpropagates on one thread. */
    @Override
    protected void accumulateRecurrentGradients() {
        int rows = time * batch;
        float[] grad = parameters.gradients();
        float[] h = recurrentInput();
        int twoH = 2 * hidden;
        // r and z blocks see h_{t-1}; the n block sees r·h_{t-1}; the gradient of hg is dGates in this form
        matrix.gemm(true, false, twoH, hidden, rows, 1f, dGates, 0, gateWidth, h, 0, hidden,
                1f, grad, wHh, hidden);
        matrix.gemm(true, false, hidden, hidden, rows, 1f, dGates, twoH, gateWidth, rh, 0, hidden,
                1f, grad, wHh + twoH * hidden, hidden);
        matrix.gemv(true, rows, gateWidth, 1f, dGates, 0, gateWidth, ones(), 0, 1f, grad, bHh);
    }
}
