package org.jrnn.scalar;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jrnn.spi.Activations;
import org.jrnn.spi.Backend;
import org.jrnn.spi.Capabilities;
import org.jrnn.spi.Gates;
import org.jrnn.spi.MatrixOps;
import org.jrnn.spi.VectorOps;
import org.jrnn.tck.ActivationsContract;
import org.jrnn.tck.GatesContract;
import org.jrnn.tck.MatrixOpsContract;
import org.junit.jupiter.api.Test;

/** The contracts are not vacuous: a backend with a small deliberate fault fails them. */
class BrokenBackendTest {

    /** The scalar backend with one group replaced. */
    private record Patched(MatrixOps matrix, Activations activations, Gates gates) implements Backend {
        @Override
        public Capabilities capabilities() {
            return new Capabilities("broken", 32, false, 25, 1);
        }

        @Override
        public VectorOps vectors() {
            return new ScalarBackend().vectors();
        }
    }

    private static final ScalarBackend SCALAR = new ScalarBackend();

    @Test
    void gemmThatDropsTheLastProductTermFails() {
        MatrixOps dropsLast = new ScalarProducts() {
            @Override
            public void gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
                super.gemm(ta, tb, m, n, Math.max(0, k - 1), alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
        };
        MatrixOpsContract contract = () -> new Patched(dropsLast, SCALAR.activations(), SCALAR.gates());
        assertThrows(AssertionError.class, contract::gemmMatchesDoubleOracle);
    }

    @Test
    void gemmThatReadsStaleOutputWhenBetaIsZeroFails() {
        MatrixOps readsC = new ScalarProducts() {
            @Override
            public void gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
                super.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, 1f, c, cOff, ldc);
            }
        };
        MatrixOpsContract contract = () -> new Patched(readsC, SCALAR.activations(), SCALAR.gates());
        assertThrows(AssertionError.class, contract::gemmMatchesDoubleOracle);
    }

    /** The scalar backend's products, for a test to replace one of them (the packed ones are the defaults). */
    private abstract static class ScalarProducts implements MatrixOps {
        @Override
        public void gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                         float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
            SCALAR.matrix().gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }

        @Override
        public void gemv(boolean t, int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff,
                         float beta, float[] y, int yOff) {
            SCALAR.matrix().gemv(t, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
        }
    }

    @Test
    void gemmPackedBiasThatLeavesTheLastRowWithoutBiasFails() {
        MatrixOps lastRowUnbiased = new ScalarProducts() {
            @Override
            public void gemmPackedBias(boolean ta, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                       float[] packed, int packedOff, float[] bias, int biasOff, float[] c, int cOff,
                                       int ldc) {
                super.gemmPackedBias(ta, m, n, k, alpha, a, aOff, lda, packed, packedOff, bias, biasOff, c, cOff, ldc);
                for (int j = 0; j < n && m > 0; j++) {
                    c[cOff + (m - 1) * ldc + j] -= bias[biasOff + j];
                }
            }
        };
        MatrixOpsContract contract = () -> new Patched(lastRowUnbiased, SCALAR.activations(), SCALAR.gates());
        contract.gemmPackedMatchesDoubleOracle();
        assertThrows(AssertionError.class, contract::gemmPackedBiasMatchesDoubleOracle);
    }

    @Test
    void gemmPackedBiasThatReadsItsOutputFails() {
        MatrixOps readsC = new ScalarProducts() {
            @Override
            public void gemmPackedBias(boolean ta, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                       float[] packed, int packedOff, float[] bias, int biasOff, float[] c, int cOff,
                                       int ldc) {
                // adds the bias onto what C held instead of writing it
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        c[cOff + i * ldc + j] += bias[biasOff + j];
                    }
                }
                gemmPacked(ta, m, n, k, alpha, a, aOff, lda, packed, packedOff, 1f, c, cOff, ldc);
            }
        };
        MatrixOpsContract contract = () -> new Patched(readsC, SCALAR.activations(), SCALAR.gates());
        assertThrows(AssertionError.class, contract::gemmPackedBiasMatchesDoubleOracleOnLargeShapes);
    }

    @Test
    void sigmoidOffByTwentyUlpsFails() {
        Activations sloppy = new ScalarActivations() {
            @Override
            public void sigmoid(int n, float[] x, int xOff, float[] y, int yOff) {
                super.sigmoid(n, x, xOff, y, yOff);
                for (int i = 0; i < n; i++) {
                    y[yOff + i] += 20 * Math.ulp(y[yOff + i]);
                }
            }
        };
        ActivationsContract contract = () -> new Patched(SCALAR.matrix(), sloppy, SCALAR.gates());
        assertThrows(AssertionError.class, contract::sigmoidWithinUlps);
    }

    @Test
    void lstmBackwardWithForgetGateSignFlipFails() {
        Gates flipped = new ScalarGates() {
            @Override
            public void lstmBackward(int batch, int hidden, float[] gates, int gatesOff, int ldGates, float[] cPrev,
                                     int cPrevOff, int ldcPrev, float[] tanhC, int tanhCOff, int ldTanhC, float[] dh,
                                     int dhOff, int lddh, float[] dc, int dcOff, int lddc, float[] dGates,
                                     int dGatesOff, int lddGates, float[] dcPrev, int dcPrevOff, int lddcPrev) {
                super.lstmBackward(batch, hidden, gates, gatesOff, ldGates, cPrev, cPrevOff, ldcPrev, tanhC, tanhCOff,
                        ldTanhC, dh, dhOff, lddh, dc, dcOff, lddc, dGates, dGatesOff, lddGates, dcPrev, dcPrevOff,
                        lddcPrev);
                for (int b = 0; b < batch; b++) {
                    for (int j = 0; j < hidden; j++) {
                        dGates[dGatesOff + b * lddGates + hidden + j] *= -1;
                    }
                }
            }
        };
        GatesContract contract = () -> new Patched(SCALAR.matrix(), SCALAR.activations(), flipped);
        assertThrows(AssertionError.class, contract::lstmBackwardMatchesFormula);
    }
}
