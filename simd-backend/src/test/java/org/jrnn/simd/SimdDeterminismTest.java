package org.jrnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jrnn.spi.MatrixOps;

/**
 * An element of a product is computed with the same arithmetic whichever tile computes it, so a row or a
 * block of columns computed alone is bit-identical to the same part of a larger product, and repeated calls
 * give identical results, once the kernels are compiled (see {@link SimdBackend}: before C2 compiles them,
 * {@code reduceLanes} may add lanes in another order). Splitting work between threads relies on this.
 */
class SimdDeterminismTest {

    private static float[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (2 * r.nextDouble() - 1);
        }
        return a;
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void partsOfAProductEqualTheWhole(int bits) {
        MatrixOps matrix = new SimdBackend(bits).matrix();
        int m = 11;
        int n = 157;
        int k = 301;
        for (int form = 0; form < 3; form++) {
            boolean transA = form == 2;
            boolean transB = form == 1;
            float[] a = random(1, m * k);
            float[] b = random(2, k * n);
            int lda = transA ? m : k;
            int ldb = transB ? k : n;
            float[] whole = new float[m * n];
            warmUp(matrix, transA, transB, m, n, k, a, lda, b, ldb);
            matrix.gemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, whole, 0, n);
            float[] again = new float[m * n];
            matrix.gemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, again, 0, n);
            assertArrayEquals(whole, again, "repeated call, form " + form);
            // one row at a time
            for (int i = 0; i < m; i++) {
                float[] row = new float[n];
                int aOff = transA ? i : i * k;
                matrix.gemm(transA, transB, 1, n, k, 1f, a, aOff, lda, b, 0, ldb, 0f, row, 0, n);
                for (int j = 0; j < n; j++) {
                    assertEquals(whole[i * n + j], row[j], 0f, "form " + form + " row " + i + " column " + j);
                }
            }
            // a block of 37 columns starting at 50
            int j0 = 50;
            int w = 37;
            float[] block = new float[m * w];
            int bOff = transB ? j0 * k : j0;
            matrix.gemm(transA, transB, m, w, k, 1f, a, 0, lda, b, bOff, ldb, 0f, block, 0, w);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < w; j++) {
                    assertEquals(whole[i * n + j0 + j], block[i * w + j], 0f,
                            "form " + form + " block element " + i + "," + j);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void packedProductsSplitByColumnsEqualTheWhole(int bits) {
        // k <= 128 and m >= k: A·Bᵀ runs on a transposed copy of B (the path a batch-64 step of a small layer takes)
        MatrixOps matrix = new SimdBackend(bits).matrix();
        int m = 48;
        int n = 157;
        int k = 40;
        float[] a = random(4, m * k);
        float[] b = random(5, n * k);
        float[] whole = new float[m * n];
        matrix.gemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, whole, 0, n);
        float[] reference = new float[m * n];
        new org.jrnn.scalar.ScalarBackend().matrix().gemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f,
                reference, 0, n);
        for (int i = 0; i < m * n; i++) {
            assertEquals(reference[i], whole[i], 1e-5f, "element " + i + " against the scalar backend");
        }
        int j0 = 50;
        int w = 37;
        float[] block = new float[m * w];
        matrix.gemm(false, true, m, w, k, 1f, a, 0, k, b, j0 * k, k, 0f, block, 0, w);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < w; j++) {
                assertEquals(whole[i * n + j0 + j], block[i * w + j], 0f, "block element " + i + "," + j);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void packedProductRowsEqualTheWhole(int bits) {
        // 64 rows run as six-row tiles and one four-row tile (with AVX-512), 13 rows as six-row tiles and one row,
        // three and two rows on the kernels for three and two rows, a single row on the one-row kernels: every
        // element must come out the same whatever tile computed it
        MatrixOps matrix = new SimdBackend(bits).matrix();
        int m = 64;
        int n = 200;
        for (boolean transA : new boolean[] {false, true}) {
            for (int k : new int[] {37, 300}) {
                float[] a = random(6, m * k);
                float[] b = random(7, k * n);
                float[] packed = new float[matrix.packedSize(k, n)];
                matrix.pack(false, k, n, b, 0, n, packed, 0);
                int lda = transA ? m : k;
                // alpha and C other than 1 and 0, so that the epilogue's single rounding (one FMA) counts too
                float[] c0 = random(8, m * n);
                float[] whole = c0.clone();
                matrix.gemmPacked(transA, m, n, k, 0.7f, a, 0, lda, packed, 0, 1f, whole, 0, n);
                for (int[] part : new int[][] {{0, 13}, {13, 14}, {14, 64}, {5, 11}, {20, 23}, {40, 42}}) {
                    int rows = part[1] - part[0];
                    float[] c = java.util.Arrays.copyOfRange(c0, part[0] * n, part[1] * n);
                    int aOff = transA ? part[0] : part[0] * k;
                    matrix.gemmPacked(transA, rows, n, k, 0.7f, a, aOff, lda, packed, 0, 1f, c, 0, n);
                    for (int i = 0; i < rows; i++) {
                        for (int j = 0; j < n; j++) {
                            assertEquals(whole[(part[0] + i) * n + j], c[i * n + j], 0f, "transA " + transA + ", k "
                                    + k + ", rows " + part[0] + "-" + part[1] + ", element " + i + "," + j);
                        }
                    }
                }
            }
        }
    }

    /**
     * The columns of a packed product, packed and multiplied as parts of their own (as a layer packs the gate
     * blocks of large layers), equal the same columns of the whole product: parts of 128 columns (two panels of
     * the 512-bit backend) and a last one of 72 (a partial panel), read by 1, 13 and 64 rows; the columns outside
     * a part stay as they were.
     */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void packedProductColumnsEqualTheWhole(int bits) {
        MatrixOps matrix = new SimdBackend(bits).matrix();
        int n = 328;
        int k = 300;
        int[][] parts = {{0, 128}, {128, 256}, {256, n}, {100, 141}};
        for (int m : new int[] {1, 13, 64}) {
            float[] a = random(9, m * k);
            float[] b = random(10, k * n);
            float[] packed = new float[matrix.packedSize(k, n)];
            matrix.pack(false, k, n, b, 0, n, packed, 0);
            float[] c0 = random(11, m * n);
            float[] whole = c0.clone();
            matrix.gemmPacked(false, m, n, k, 0.7f, a, 0, k, packed, 0, 1f, whole, 0, n);
            for (int[] part : parts) {
                int w = part[1] - part[0];
                float[] own = new float[matrix.packedSize(k, w)];
                matrix.pack(false, k, w, b, part[0], n, own, 0);
                float[] c = c0.clone();
                matrix.gemmPacked(false, m, w, k, 0.7f, a, 0, k, own, 0, 1f, c, part[0], n);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        boolean inPart = j >= part[0] && j < part[1];
                        assertEquals(inPart ? whole[i * n + j] : c0[i * n + j], c[i * n + j], 0f, m + " rows, columns "
                                + part[0] + "-" + part[1] + (inPart ? "" : ", outside the part") + ", element " + i
                                + "," + j);
                    }
                }
            }
        }
    }

    /** Runs the whole product and its parts until C2 has compiled every tile. */
    private static void warmUp(MatrixOps matrix, boolean transA, boolean transB, int m, int n, int k,
                               float[] a, int lda, float[] b, int ldb) {
        float[] c = new float[m * n];
        for (int round = 0; round < 2000; round++) {
            matrix.gemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
            matrix.gemm(transA, transB, 1, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
            matrix.gemm(transA, transB, m, 37, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, 37);
        }
    }
}
