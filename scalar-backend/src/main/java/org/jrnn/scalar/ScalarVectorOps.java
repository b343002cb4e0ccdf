package org.jrnn.scalar;

import org.jrnn.spi.Arguments;
import org.jrnn.spi.VectorOps;

/** Vector operations element by element. */
final class ScalarVectorOps implements VectorOps {

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        Arguments.vectors(n, x, xOff, y, yOff);
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOff) {
        Arguments.vector(n, x, xOff);
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        Arguments.vectors(n, x, xOff, y, yOff);
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += x[xOff + i] * y[yOff + i];
        }
        return sum;
    }

    @Override
    public double sumOfSquares(int n, float[] x, int xOff) {
        Arguments.vector(n, x, xOff);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            sum += v * v;
        }
        return sum;
    }

    @Override
    public void adam(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                     float correction1, float correction2,
                     float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff) {
        Arguments.adam(n, correction1, correction2, p, pOff, g, gOff, m, mOff, v, vOff);
        for (int i = 0; i < n; i++) {
            float grad = g[gOff + i];
            float mi = beta1 * m[mOff + i] + (1f - beta1) * grad;
            float vi = beta2 * v[vOff + i] + (1f - beta2) * grad * grad;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            float step = (mi / correction1) / ((float) Math.sqrt(vi / correction2) + eps);
            p[pOff + i] -= lr * (step + weightDecay * p[pOff + i]);
        }
    }

    @Override
    public void multiply(int n, float[] x, int xOff, float[] y, int yOff) {
        Arguments.vectors(n, x, xOff, y, yOff);
        for (int i = 0; i < n; i++) {
            y[yOff + i] *= x[xOff + i];
        }
    }

    @Override
    public void clamp(int n, float lo, float hi, float[] x, int xOff) {
        Arguments.clamp(n, lo, hi, x, xOff);
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            // comparisons are false for NaN, which therefore stays
            x[xOff + i] = v < lo ? lo : v > hi ? hi : v;
        }
    }

    @Override
    public void momentum(int n, float lr, float mu, boolean nesterov, float weightDecay,
                         float[] p, int pOff, float[] g, int gOff, float[] u, int uOff) {
        Arguments.update(n, p, pOff, g, gOff, "u", u, uOff);
        for (int i = 0; i < n; i++) {
            float d = g[gOff + i] + weightDecay * p[pOff + i];
            float ui = mu * u[uOff + i] + d;
            u[uOff + i] = ui;
            p[pOff + i] -= lr * (nesterov ? d + mu * ui : ui);
        }
    }

    @Override
    public void rmsProp(int n, float lr, float rho, float eps, float weightDecay,
                        float[] p, int pOff, float[] g, int gOff, float[] s, int sOff) {
        Arguments.update(n, p, pOff, g, gOff, "s", s, sOff);
        for (int i = 0; i < n; i++) {
            float d = g[gOff + i] + weightDecay * p[pOff + i];
            float si = rho * s[sOff + i] + (1f - rho) * d * d;
            s[sOff + i] = si;
            p[pOff + i] -= lr * d / ((float) Math.sqrt(si) + eps);
        }
    }
}
