package org.jrnn.spi;

/**
 * Matrix products, row-major, with BLAS argument order (sizes, scalars, inputs with offsets and leading
 * dimensions, then the output).
 *
 * <p><b>Accuracy.</b> With {@code u = 2⁻²⁴}, every output element {@code c} differs from the exact value
 * {@code alpha·Σₚ op(A)ᵢₚ·op(B)ₚⱼ + beta·c₀} by at most
 * {@code (k + 2)·u·(|alpha|·Σₚ |op(A)ᵢₚ·op(B)ₚⱼ| + |beta·c₀|)}: the bound of any summation order in
 * float, with or without fused multiply-add.
 */
public interface MatrixOps {
    /**
     * General matrix product {@code C = alpha·op(A)·op(B) + beta·C}, where {@code op(X)} is {@code X} or
     * its transpose.
     *
     * <pre>
     *   op(A): [m][k]   stored as A [m][k] with lda >= k, or (transA) as A [k][m] with lda >= m
     *   op(B): [k][n]   stored as B [k][n] with ldb >= n, or (transB) as B [n][k] with ldb >= k
     *   C:     [m][n]   ldc >= n; accumulated when beta != 0, written (not read) when beta == 0
     * </pre>
     * When {@code k == 0} the product is zero and {@code C = beta·C} (written as zeros when
     * {@code beta == 0}). {@code C} must not overlap {@code A} or {@code B}.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /**
     * Matrix-vector product {@code y = alpha·op(A)·x + beta·y}, contiguous vectors.
     *
     * <pre>
     *   A: [m][n], lda >= n
     *   not trans: x [n], y [m]        trans: x [m], y [n]  (y = alpha·Aᵀ·x + beta·y)
     * </pre>
     * {@code y} is accumulated when {@code beta != 0} and written (not read) when {@code beta == 0}. It
     * must not overlap {@code A} or {@code x}. Same accuracy as {@link #gemm} with {@code k} the length of
     * {@code x}.
     */
    void gemv(boolean trans, int m, int n, float alpha, float[] a, int aOff, int lda,
              float[] x, int xOff, float beta, float[] y, int yOff);
}
