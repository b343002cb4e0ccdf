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

    /**
     * Floats that {@link #pack} writes for an {@code op(B)} of {@code k} rows and {@code n} columns: at least
     * {@code k·n}. The default layout needs exactly {@code k·n}.
     *
     * @throws IllegalArgumentException when a size is negative or the result does not fit an int
     */
    default int packedSize(int k, int n) {
        Arguments.packedSize(k, n);
        return k * n;
    }

    /**
     * Copies {@code op(B)} ({@code [k][n]}, stored as for {@link #gemm}: {@code B [k][n]} with {@code ldb >= n},
     * or with {@code transB} {@code B [n][k]} with {@code ldb >= k}) into
     * {@code packed[packedOff, packedOff + packedSize(k, n))}, in the layout that this backend's
     * {@link #gemmPacked} streams best. A matrix that many products share — an RNN's weights over all the
     * steps of a sequence — is packed once and multiplied many times. The layout belongs to the backend: a
     * packed matrix is only ever passed back to the same backend's {@code gemmPacked} with the same
     * {@code k} and {@code n}, and nothing is written outside its range. The default layout is the transpose
     * of {@code op(B)}, row-major ({@code [n][k]}: each column of {@code op(B)} contiguous, the operand of a dot
     * product), which the default {@link #gemmPacked} multiplies with this backend's {@code gemm} and
     * {@code transB}.
     */
    default void pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, float[] packed, int packedOff) {
        Arguments.pack(transB, k, n, b, bOff, ldb, packedSize(k, n), packed, packedOff);
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < k; p++) {
                packed[packedOff + j * k + p] = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            }
        }
    }

    /**
     * {@code C = alpha·op(A)·P + beta·C} with {@code op(A) [m][k]} (stored as for {@link #gemm}: {@code A [m][k]}
     * with {@code lda >= k}, or with {@code transA} {@code A [k][m]} with {@code lda >= m}) and {@code P} the
     * {@code op(B) [k][n]} that {@link #pack} wrote at {@code packedOff}: the product {@link #gemm} computes on
     * the unpacked {@code B}, with the same accuracy bound; {@code C} as in {@link #gemm} (not read when
     * {@code beta == 0}, and must not overlap {@code A} or {@code packed}). An element of {@code C} depends
     * only on its own row of {@code op(A)} and column of {@code P}, not on {@code m}, {@code n} or where the
     * packed matrix sits, so that a product split into row or column blocks gives the same elements.
     */
    default void gemmPacked(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                            float[] packed, int packedOff, float beta, float[] c, int cOff, int ldc) {
        Arguments.gemmPacked(transA, m, n, k, a, aOff, lda, packedSize(k, n), packed, packedOff, c, cOff, ldc);
        gemm(transA, true, m, n, k, alpha, a, aOff, lda, packed, packedOff, Math.max(1, k), beta, c, cOff, ldc);
    }

    /**
     * {@code C = alpha·op(A)·P + bias}: {@link #gemmPacked} onto the row {@code bias[biasOff, biasOff + n)} in every
     * row of C, which is written, not read — a recurrent layer's input projection starts from its bias this way
     * instead of first writing the bias into every row. Each element of C is within the bound of
     * {@link #gemmPacked} with {@code beta = 1} and {@code C₀} the bias, and depends only on its row of op(A),
     * its column of P and its element of the bias. With {@code k == 0} every row of C is the bias. The default
     * does exactly that: it copies the bias into every row and calls {@code gemmPacked} with {@code beta = 1}.
     * {@code C} must not overlap {@code A}, {@code packed} or {@code bias}.
     */
    default void gemmPackedBias(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                float[] packed, int packedOff, float[] bias, int biasOff, float[] c, int cOff,
                                int ldc) {
        Arguments.gemmPackedBias(transA, m, n, k, a, aOff, lda, packedSize(k, n), packed, packedOff, bias, biasOff,
                c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            System.arraycopy(bias, biasOff, c, cOff + i * ldc, n);
        }
        gemmPacked(transA, m, n, k, alpha, a, aOff, lda, packed, packedOff, 1f, c, cOff, ldc);
    }
}
