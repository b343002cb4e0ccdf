package org.jrnn.scalar;

import org.jrnn.spi.Activations;
import org.jrnn.spi.Arguments;

/** Activations element by element; softmax sums in double. */
class ScalarActivations implements Activations {

    @Override
    public void sigmoid(int n, float[] x, int xOff, float[] y, int yOff) {
        Arguments.activation(n, x, xOff, y, yOff);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = ScalarMath.sigmoid(x[xOff + i]);
        }
    }

    @Override
    public void tanh(int n, float[] x, int xOff, float[] y, int yOff) {
        Arguments.activation(n, x, xOff, y, yOff);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = ScalarMath.tanh(x[xOff + i]);
        }
    }

    @Override
    public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        Arguments.activation(n, x, xOff, y, yOff);
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v > 0f || Float.isNaN(v) ? v : 0f;
        }
    }

    @Override
    public void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        Arguments.activationBackward(n, y, yOff, dy, dyOff, dx, dxOff);
        for (int i = 0; i < n; i++) {
            float s = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * s * (1f - s);
        }
    }

    @Override
    public void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        Arguments.activationBackward(n, y, yOff, dy, dyOff, dx, dxOff);
        for (int i = 0; i < n; i++) {
            float t = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * (1f - t * t);
        }
    }

    @Override
    public void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        Arguments.activationBackward(n, y, yOff, dy, dyOff, dx, dxOff);
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
        }
    }

    @Override
    public void softmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        Arguments.rowwise(rows, cols, x, xOff, ldx, y, yOff, ldy);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ldx;
            int yr = yOff + r * ldy;
            float max = rowMax(x, xr, cols);
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp((double) x[xr + c] - max);
            }
            for (int c = 0; c < cols; c++) {
                y[yr + c] = (float) (Math.exp((double) x[xr + c] - max) / sum);
            }
        }
    }

    @Override
    public void logSoftmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        Arguments.rowwise(rows, cols, x, xOff, ldx, y, yOff, ldy);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ldx;
            int yr = yOff + r * ldy;
            float max = rowMax(x, xr, cols);
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp((double) x[xr + c] - max);
            }
            double logSum = Math.log(sum);
            for (int c = 0; c < cols; c++) {
                y[yr + c] = (float) ((double) x[xr + c] - max - logSum);
            }
        }
    }

    @Override
    public void softmaxBackward(int rows, int cols, float[] y, int yOff, int ldy, float[] dy, int dyOff, int lddy,
                                float[] dx, int dxOff, int lddx) {
        Arguments.rowwiseBackward(rows, cols, y, yOff, ldy, dy, dyOff, lddy, dx, dxOff, lddx);
        for (int r = 0; r < rows; r++) {
            int yr = yOff + r * ldy;
            int dyr = dyOff + r * lddy;
            int dxr = dxOff + r * lddx;
            double dot = 0;
            for (int c = 0; c < cols; c++) {
                dot += (double) dy[dyr + c] * y[yr + c];
            }
            for (int c = 0; c < cols; c++) {
                dx[dxr + c] = (float) (y[yr + c] * (dy[dyr + c] - dot));
            }
        }
    }

    @Override
    public void logSoftmaxBackward(int rows, int cols, float[] y, int yOff, int ldy, float[] dy, int dyOff, int lddy,
                                   float[] dx, int dxOff, int lddx) {
        Arguments.rowwiseBackward(rows, cols, y, yOff, ldy, dy, dyOff, lddy, dx, dxOff, lddx);
        for (int r = 0; r < rows; r++) {
            int yr = yOff + r * ldy;
            int dyr = dyOff + r * lddy;
            int dxr = dxOff + r * lddx;
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += dy[dyr + c];
            }
            for (int c = 0; c < cols; c++) {
                dx[dxr + c] = (float) (dy[dyr + c] - Math.exp(y[yr + c]) * sum);
            }
        }
    }

    private static float rowMax(float[] x, int start, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, x[start + c]);
        }
        return max;
    }
}
