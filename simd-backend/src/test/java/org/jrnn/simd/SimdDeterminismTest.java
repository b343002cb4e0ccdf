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
 * give identical results. (Splitting work between threads relies on this.)
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
    void elementwiseResultsDoNotChangeWhenTheJitCompilesThem(int bits) {
        SimdBackend backend = new SimdBackend(bits);
        float[] x = random(3, 4099);
        for (int i = 0; i < x.length; i++) {
            x[i] *= 30;
        }
        float[] sigmoid = new float[x.length];
        float[] tanh = new float[x.length];
        float[] softmax = new float[x.length];
        backend.activations().sigmoid(x.length, x, 0, sigmoid, 0);
        backend.activations().tanh(x.length, x, 0, tanh, 0);
        backend.activations().softmax(1, x.length, x, 0, x.length, softmax, 0, x.length);
        float[] y = new float[x.length];
        for (int round = 0; round < 3000; round++) {
            backend.activations().sigmoid(x.length, x, 0, y, 0);
            backend.activations().tanh(x.length, x, 0, y, 0);
            backend.activations().softmax(1, x.length, x, 0, x.length, y, 0, x.length);
        }
        backend.activations().sigmoid(x.length, x, 0, y, 0);
        assertArrayEquals(sigmoid, y, "sigmoid");
        backend.activations().tanh(x.length, x, 0, y, 0);
        assertArrayEquals(tanh, y, "tanh");
        backend.activations().softmax(1, x.length, x, 0, x.length, y, 0, x.length);
        assertArrayEquals(softmax, y, "softmax");
    }
}
