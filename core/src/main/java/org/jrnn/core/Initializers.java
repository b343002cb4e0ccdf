package org.jrnn.core;

import java.util.SplittableRandom;

/** Seeded weight initializers. */
public final class Initializers {
    private Initializers() {
    }

    /**
     * Glorot/Xavier uniform (Glorot and Bengio 2010): {@code U(-a, a)} with {@code a = sqrt(6 / (fanIn + fanOut))}.
     */
    public static void glorotUniform(float[] w, int offset, int rows, int cols, int fanIn, int fanOut,
                                     SplittableRandom random) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < rows * cols; i++) {
            w[offset + i] = (float) ((2 * random.nextDouble() - 1) * limit);
        }
    }

    /**
     * An orthogonal {@code [n][n]} matrix (Saxe et al. 2014): modified Gram–Schmidt, in double, on a Gaussian
     * matrix, rows normalised; the result has orthonormal rows (and so columns).
     */
    public static void orthogonal(float[] w, int offset, int n, SplittableRandom random) {
        double[][] q = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                q[r][c] = gaussian(random);
            }
        }
        for (int r = 0; r < n; r++) {
            for (int p = 0; p < r; p++) {
                double dot = 0;
                for (int c = 0; c < n; c++) {
                    dot += q[r][c] * q[p][c];
                }
                for (int c = 0; c < n; c++) {
                    q[r][c] -= dot * q[p][c];
                }
            }
            double norm = 0;
            for (int c = 0; c < n; c++) {
                norm += q[r][c] * q[r][c];
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < n; c++) {
                q[r][c] /= norm;
                w[offset + r * n + c] = (float) q[r][c];
            }
        }
    }

    /** A standard normal value (Box–Muller) from a seeded generator. */
    static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
    }
}
