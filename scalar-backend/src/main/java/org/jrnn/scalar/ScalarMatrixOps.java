package org.jrnn.scalar;

import org.jrnn.spi.Arguments;
import org.jrnn.spi.MatrixOps;

/** Matrix products as the textbook triple loop, each dot product summed in float from p = 0 up. */
final class ScalarMatrixOps implements MatrixOps {

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        Arguments.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        // Element (i, p) of op(A) is a[aOff + i*aRow + p*aCol]; likewise op(B)(p, j).
        int aRow = transA ? 1 : lda;
        int aCol = transA ? lda : 1;
        int bRow = transB ? 1 : ldb;
        int bCol = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    sum += a[aOff + i * aRow + p * aCol] * b[bOff + p * bRow + j * bCol];
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci];
            }
        }
    }

    @Override
    public void gemv(boolean trans, int m, int n, float alpha, float[] a, int aOff, int lda,
                     float[] x, int xOff, float beta, float[] y, int yOff) {
        Arguments.gemv(trans, m, n, a, aOff, lda, x, xOff, y, yOff);
        int xLength = trans ? m : n;
        int yLength = trans ? n : m;
        int aRow = trans ? 1 : lda;
        int aCol = trans ? lda : 1;
        for (int i = 0; i < yLength; i++) {
            float sum = 0f;
            for (int p = 0; p < xLength; p++) {
                sum += a[aOff + i * aRow + p * aCol] * x[xOff + p];
            }
            y[yOff + i] = beta == 0f ? alpha * sum : alpha * sum + beta * y[yOff + i];
        }
    }
}
