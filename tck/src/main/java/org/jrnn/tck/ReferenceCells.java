package org.jrnn.tck;

import java.util.Arrays;

/**
 * Naive recurrent cells in double precision: the equations of PyTorch's {@code nn.LSTM}, {@code nn.GRU} and
 * {@code nn.RNN}, one unit at a time, with no attempt at speed. They are the oracle for layer forward passes
 * and, through {@link GradientChecker}, for gradients.
 *
 * <p>Weights use the layout of {@link org.jrnn.spi.Layout}: {@code wIh [G*H][X]}, {@code wHh [G*H][H]},
 * {@code bIh [G*H]}, {@code bHh [G*H]}. Sequences are batch-major {@code [B][T][X]}; with per-sequence
 * lengths, steps at or past a sequence's length leave its state unchanged and produce output 0.
 */
public final class ReferenceCells {

    /** The cell equations. */
    public enum Kind {
        /** {@code c' = f·c + i·g, h' = o·tanh(c')}, gates i, f, g, o. */
        LSTM(4),
        /** PyTorch's GRU: {@code n = tanh(W_in x + b_in + r·(W_hn h + b_hn))}. */
        GRU(3),
        /** The original GRU (Cho et al. 2014): {@code n = tanh(W_in x + b_in + W_hn (r·h) + b_hn)}. */
        GRU_RESET_BEFORE(3),
        /** {@code h' = tanh(W_ih x + b_ih + W_hh h + b_hh)}. */
        RNN_TANH(1),
        /** {@code h' = max(0, W_ih x + b_ih + W_hh h + b_hh)}. */
        RNN_RELU(1);

        /** Gate blocks G. */
        public final int gates;

        Kind(int gates) {
            this.gates = gates;
        }
    }

    /**
     * Parameters of one layer.
     *
     * @param wIh [G*H][X]
     * @param wHh [G*H][H]
     * @param bIh [G*H]
     * @param bHh [G*H]
     */
    public record Params(Kind kind, int inputSize, int hidden, double[] wIh, double[] wHh, double[] bIh, double[] bHh) {
        public Params {
            int g = kind.gates * hidden;
            requireLength("wIh", wIh, g * inputSize);
            requireLength("wHh", wHh, g * hidden);
            requireLength("bIh", bIh, g);
            requireLength("bHh", bHh, g);
        }
    }

    /**
     * What a forward pass produces.
     *
     * @param output [B][T][H]; zero at steps past a sequence's length
     * @param hN     [B][H] the state after each sequence's last valid step
     * @param cN     [B][H] the LSTM cell state likewise; null for other kinds
     */
    public record Result(double[] output, double[] hN, double[] cN) {
    }

    private ReferenceCells() {
    }

    /**
     * Runs a layer over a batch of sequences.
     *
     * @param x       [B][T][X]
     * @param lengths per-sequence lengths in [0, T], or null for all T
     * @param h0      [B][H] or null for zeros
     * @param c0      [B][H] or null for zeros (LSTM only)
     */
    public static Result forward(Params p, double[] x, int batch, int time, int[] lengths, double[] h0, double[] c0) {
        int in = p.inputSize();
        int h = p.hidden();
        requireLength("x", x, batch * time * in);
        double[] output = new double[batch * time * h];
        double[] hN = new double[batch * h];
        double[] cN = p.kind() == Kind.LSTM ? new double[batch * h] : null;
        for (int b = 0; b < batch; b++) {
            double[] state = h0 == null ? new double[h] : Arrays.copyOfRange(h0, b * h, (b + 1) * h);
            double[] cell = c0 == null ? new double[h] : Arrays.copyOfRange(c0, b * h, (b + 1) * h);
            int length = lengths == null ? time : lengths[b];
            for (int t = 0; t < length; t++) {
                double[] xt = Arrays.copyOfRange(x, (b * time + t) * in, (b * time + t + 1) * in);
                state = step(p, xt, state, cell);
                System.arraycopy(state, 0, output, (b * time + t) * h, h);
            }
            System.arraycopy(state, 0, hN, b * h, h);
            if (cN != null) {
                System.arraycopy(cell, 0, cN, b * h, h);
            }
        }
        return new Result(output, hN, cN);
    }

    /** One step for one sequence; returns the new h and updates {@code cell} in place (LSTM). */
    static double[] step(Params p, double[] x, double[] hPrev, double[] cell) {
        int h = p.hidden();
        double[] xg = affine(p.wIh(), p.bIh(), x, p.kind().gates * h);
        double[] hg = affine(p.wHh(), p.bHh(), hPrev, p.kind().gates * h);
        double[] next = new double[h];
        switch (p.kind()) {
            case LSTM -> {
                for (int j = 0; j < h; j++) {
                    double i = sigmoid(xg[j] + hg[j]);
                    double f = sigmoid(xg[h + j] + hg[h + j]);
                    double g = Math.tanh(xg[2 * h + j] + hg[2 * h + j]);
                    double o = sigmoid(xg[3 * h + j] + hg[3 * h + j]);
                    cell[j] = f * cell[j] + i * g;
                    next[j] = o * Math.tanh(cell[j]);
                }
            }
            case GRU -> {
                for (int j = 0; j < h; j++) {
                    double r = sigmoid(xg[j] + hg[j]);
                    double z = sigmoid(xg[h + j] + hg[h + j]);
                    double n = Math.tanh(xg[2 * h + j] + r * hg[2 * h + j]);
                    next[j] = (1 - z) * n + z * hPrev[j];
                }
            }
            case GRU_RESET_BEFORE -> {
                double[] rh = new double[h];
                double[] r = new double[h];
                for (int j = 0; j < h; j++) {
                    r[j] = sigmoid(xg[j] + hg[j]);
                    rh[j] = r[j] * hPrev[j];
                }
                for (int j = 0; j < h; j++) {
                    double z = sigmoid(xg[h + j] + hg[h + j]);
                    double hn = p.bHh()[2 * h + j];
                    for (int k = 0; k < h; k++) {
                        hn += p.wHh()[(2 * h + j) * h + k] * rh[k];
                    }
                    double n = Math.tanh(xg[2 * h + j] + hn);
                    next[j] = (1 - z) * n + z * hPrev[j];
                }
            }
            case RNN_TANH -> {
                for (int j = 0; j < h; j++) {
                    next[j] = Math.tanh(xg[j] + hg[j]);
                }
            }
            case RNN_RELU -> {
                for (int j = 0; j < h; j++) {
                    next[j] = Math.max(0, xg[j] + hg[j]);
                }
            }
            default -> throw new IllegalStateException("unknown kind " + p.kind());
        }
        return next;
    }

    /** {@code W·v + b} for {@code W [rows][v.length]}. */
    private static double[] affine(double[] w, double[] b, double[] v, int rows) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = b[r];
            for (int k = 0; k < v.length; k++) {
                s += w[r * v.length + k] * v[k];
            }
            out[r] = s;
        }
        return out;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static void requireLength(String name, double[] a, int expected) {
        if (a == null || a.length != expected) {
            throw new IllegalArgumentException(name + " must have " + expected + " elements, found "
                    + (a == null ? "null" : a.length));
        }
    }
}
