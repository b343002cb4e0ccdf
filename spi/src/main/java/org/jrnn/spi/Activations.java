package org.jrnn.spi;

/**
 * Element-wise activations over contiguous vectors, row-wise softmax, and their backward forms. The
 * backward forms take the forward <em>outputs</em> ({@code y}), never the inputs, so a layer keeps only
 * what the forward pass produced.
 *
 * <p><b>Accuracy.</b> {@code sigmoid}, {@code tanh} and {@code exp} inside softmax may each differ from the
 * exact value by at most {@link #TRANSCENDENTAL_ULPS} units in the last place of the exact result plus an
 * absolute {@code 2⁻²⁴}; {@code relu} is exact. A backend documents its own, tighter, figure.
 *
 * <p>Unless stated, the output may be the same array region as the input (in-place), but may not partially
 * overlap it.
 */
public interface Activations {
    /** The error allowed in {@code sigmoid}, {@code tanh} and {@code exp}, in ulps of the exact value. */
    int TRANSCENDENTAL_ULPS = 8;

    /** {@code y[i] = 1 / (1 + exp(-x[i]))} for {@code i < n}. */
    void sigmoid(int n, float[] x, int xOff, float[] y, int yOff);

    /** {@code y[i] = tanh(x[i])}. */
    void tanh(int n, float[] x, int xOff, float[] y, int yOff);

    /** {@code y[i] = max(0, x[i])}; NaN stays NaN. */
    void relu(int n, float[] x, int xOff, float[] y, int yOff);

    /** {@code dx[i] = dy[i]·y[i]·(1 - y[i])} where {@code y} is the sigmoid output; dx may alias dy. */
    void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

    /** {@code dx[i] = dy[i]·(1 - y[i]²)} where {@code y} is the tanh output; dx may alias dy. */
    void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

    /** {@code dx[i] = y[i] > 0 ? dy[i] : 0} where {@code y} is the relu output; dx may alias dy. */
    void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

    /**
     * Row-wise softmax of {@code x [rows][cols]} into {@code y [rows][cols]}:
     * {@code y[r][c] = exp(x[r][c] - max_r) / Σ exp(x[r][·] - max_r)}. Each row of {@code y} sums to 1
     * within {@code (cols + 8)·u}. {@code cols >= 1}. y may alias x (same offset and leading dimension).
     */
    void softmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy);

    /**
     * Row-wise log-softmax: {@code y[r][c] = x[r][c] - max_r - log Σ exp(x[r][·] - max_r)}; finite for
     * finite inputs however large. y may alias x (same offset and leading dimension).
     */
    void logSoftmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy);

    /**
     * Backward of {@link #softmax}: {@code dx[r][c] = y[r][c]·(dy[r][c] - Σₖ dy[r][k]·y[r][k])}.
     * dx may alias dy (same offset and leading dimension).
     */
    void softmaxBackward(int rows, int cols, float[] y, int yOff, int ldy, float[] dy, int dyOff, int lddy,
                         float[] dx, int dxOff, int lddx);

    /**
     * Backward of {@link #logSoftmax}: {@code dx[r][c] = dy[r][c] - exp(y[r][c])·Σₖ dy[r][k]}.
     * dx may alias dy (same offset and leading dimension).
     */
    void logSoftmaxBackward(int rows, int cols, float[] y, int yOff, int ldy, float[] dy, int dyOff, int lddy,
                            float[] dx, int dxOff, int lddx);
}
