package org.jrnn.spi;

import java.util.Objects;

/**
 * The entry check of every primitive, one method per primitive with the primitive's own parameters, so that
 * every backend rejects the same calls with the same messages. A backend calls the matching method first
 * and then runs its kernel knowing that every addressed element exists. The methods throw
 * {@link IllegalArgumentException} for bad sizes and leading dimensions and {@link IndexOutOfBoundsException}
 * (or {@link NullPointerException}) for arrays that are too short (or missing); see {@link Checks}.
 */
public final class Arguments {
    private Arguments() {
    }

    /** {@link MatrixOps#gemm}. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc) {
        Checks.size("m", m);
        Checks.size("n", n);
        Checks.size("k", k);
        Checks.matrix("A", a, aOff, transA ? k : m, transA ? m : k, lda);
        Checks.matrix("B", b, bOff, transB ? n : k, transB ? k : n, ldb);
        Checks.matrix("C", c, cOff, m, n, ldc);
    }

    /** {@link MatrixOps#packedSize}: both sizes non-negative and their product an int. */
    public static void packedSize(int k, int n) {
        Checks.size("k", k);
        Checks.size("n", n);
        if ((long) k * n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a packed [k=" + k + "][n=" + n + "] matrix has more than "
                    + Integer.MAX_VALUE + " elements");
        }
    }

    /** {@link MatrixOps#pack}, given the backend's {@code packedSize(k, n)}. */
    public static void pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, int packedSize,
                            float[] packed, int packedOff) {
        packedSize(k, n);
        Checks.matrix("B", b, bOff, transB ? n : k, transB ? k : n, ldb);
        Checks.vector("packed", packed, packedOff, packedSize);
    }

    /** {@link MatrixOps#gemmPacked}, given the backend's {@code packedSize(k, n)}. */
    public static void gemmPacked(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                                  int packedSize, float[] packed, int packedOff, float[] c, int cOff, int ldc) {
        Checks.size("m", m);
        packedSize(k, n);
        Checks.matrix("A", a, aOff, transA ? k : m, transA ? m : k, lda);
        Checks.vector("packed", packed, packedOff, packedSize);
        Checks.matrix("C", c, cOff, m, n, ldc);
    }

    /** {@link MatrixOps#gemmPackedBias}, given the backend's {@code packedSize(k, n)}. */
    public static void gemmPackedBias(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                                      int packedSize, float[] packed, int packedOff, float[] bias, int biasOff,
                                      float[] c, int cOff, int ldc) {
        gemmPacked(transA, m, n, k, a, aOff, lda, packedSize, packed, packedOff, c, cOff, ldc);
        Checks.vector("bias", bias, biasOff, n);
    }

    /** {@link MatrixOps#gemv}. */
    public static void gemv(boolean trans, int m, int n, float[] a, int aOff, int lda,
                            float[] x, int xOff, float[] y, int yOff) {
        Checks.size("m", m);
        Checks.size("n", n);
        Checks.matrix("A", a, aOff, m, n, lda);
        Checks.vector("x", x, xOff, trans ? m : n);
        Checks.vector("y", y, yOff, trans ? n : m);
    }

    /** {@link Activations#sigmoid}, {@link Activations#tanh}, {@link Activations#relu}. */
    public static void activation(int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.size("n", n);
        Checks.vector("x", x, xOff, n);
        Checks.vector("y", y, yOff, n);
    }

    /** {@link Activations#sigmoidBackward} and its siblings. */
    public static void activationBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        Checks.size("n", n);
        Checks.vector("y", y, yOff, n);
        Checks.vector("dy", dy, dyOff, n);
        Checks.vector("dx", dx, dxOff, n);
    }

    /** {@link Activations#softmax} and {@link Activations#logSoftmax}. */
    public static void rowwise(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        Checks.size("rows", rows);
        Checks.positive("cols", cols);
        Checks.matrix("input", x, xOff, rows, cols, ldx);
        Checks.matrix("output", y, yOff, rows, cols, ldy);
    }

    /** {@link Activations#softmaxBackward} and {@link Activations#logSoftmaxBackward}. */
    public static void rowwiseBackward(int rows, int cols, float[] y, int yOff, int ldy,
                                       float[] dy, int dyOff, int lddy, float[] dx, int dxOff, int lddx) {
        rowwise(rows, cols, y, yOff, ldy, dy, dyOff, lddy);
        Checks.matrix("dx", dx, dxOff, rows, cols, lddx);
    }

    /** {@link Gates#lstmForward}. */
    public static void lstmForward(int batch, int hidden,
                                   float[] gates, int gatesOff, int ldGates,
                                   float[] cPrev, int cPrevOff, int ldcPrev,
                                   float[] c, int cOff, int ldc,
                                   float[] tanhC, int tanhCOff, int ldTanhC,
                                   float[] h, int hOff, int ldh) {
        sizes(batch, hidden);
        Checks.matrix("gates", gates, gatesOff, batch, 4 * hidden, ldGates);
        Checks.matrix("cPrev", cPrev, cPrevOff, batch, hidden, ldcPrev);
        Checks.matrix("c", c, cOff, batch, hidden, ldc);
        Checks.matrix("tanhC", tanhC, tanhCOff, batch, hidden, ldTanhC);
        Checks.matrix("h", h, hOff, batch, hidden, ldh);
    }

    /** {@link Gates#lstmBackward}. */
    public static void lstmBackward(int batch, int hidden,
                                    float[] gates, int gatesOff, int ldGates,
                                    float[] cPrev, int cPrevOff, int ldcPrev,
                                    float[] tanhC, int tanhCOff, int ldTanhC,
                                    float[] dh, int dhOff, int lddh,
                                    float[] dc, int dcOff, int lddc,
                                    float[] dGates, int dGatesOff, int lddGates,
                                    float[] dcPrev, int dcPrevOff, int lddcPrev) {
        sizes(batch, hidden);
        Checks.matrix("gates", gates, gatesOff, batch, 4 * hidden, ldGates);
        Checks.matrix("cPrev", cPrev, cPrevOff, batch, hidden, ldcPrev);
        Checks.matrix("tanhC", tanhC, tanhCOff, batch, hidden, ldTanhC);
        Checks.matrix("dh", dh, dhOff, batch, hidden, lddh);
        Checks.matrix("dc", dc, dcOff, batch, hidden, lddc);
        Checks.matrix("dGates", dGates, dGatesOff, batch, 4 * hidden, lddGates);
        Checks.matrix("dcPrev", dcPrev, dcPrevOff, batch, hidden, lddcPrev);
    }

    /** {@link Gates#gruForward}. */
    public static void gruForward(int batch, int hidden,
                                  float[] gates, int gatesOff, int ldGates,
                                  float[] hg, int hgOff, int ldhg,
                                  float[] hPrev, int hPrevOff, int ldhPrev,
                                  float[] h, int hOff, int ldh) {
        sizes(batch, hidden);
        Checks.matrix("gates", gates, gatesOff, batch, 3 * hidden, ldGates);
        Checks.matrix("hg", hg, hgOff, batch, 3 * hidden, ldhg);
        Checks.matrix("hPrev", hPrev, hPrevOff, batch, hidden, ldhPrev);
        Checks.matrix("h", h, hOff, batch, hidden, ldh);
    }

    /** {@link Gates#gruBackward}. */
    public static void gruBackward(int batch, int hidden,
                                   float[] gates, int gatesOff, int ldGates,
                                   float[] hg, int hgOff, int ldhg,
                                   float[] hPrev, int hPrevOff, int ldhPrev,
                                   float[] dh, int dhOff, int lddh,
                                   float[] dGates, int dGatesOff, int lddGates,
                                   float[] dHg, int dHgOff, int lddHg,
                                   float[] dhPrev, int dhPrevOff, int lddhPrev) {
        sizes(batch, hidden);
        Checks.matrix("gates", gates, gatesOff, batch, 3 * hidden, ldGates);
        Checks.matrix("hg", hg, hgOff, batch, 3 * hidden, ldhg);
        Checks.matrix("hPrev", hPrev, hPrevOff, batch, hidden, ldhPrev);
        Checks.matrix("dh", dh, dhOff, batch, hidden, lddh);
        Checks.matrix("dGates", dGates, dGatesOff, batch, 3 * hidden, lddGates);
        Checks.matrix("dHg", dHg, dHgOff, batch, 3 * hidden, lddHg);
        Checks.matrix("dhPrev", dhPrev, dhPrevOff, batch, hidden, lddhPrev);
    }

    /** {@link Gates#gruResetForward}. */
    public static void gruResetForward(int batch, int hidden,
                                       float[] gates, int gatesOff, int ldGates,
                                       float[] hg, int hgOff, int ldhg,
                                       float[] hPrev, int hPrevOff, int ldhPrev,
                                       float[] rh, int rhOff, int ldrh) {
        sizes(batch, hidden);
        Checks.matrix("gates", gates, gatesOff, batch, 3 * hidden, ldGates);
        Checks.matrix("hg", hg, hgOff, batch, 2 * hidden, ldhg);
        Checks.matrix("hPrev", hPrev, hPrevOff, batch, hidden, ldhPrev);
        Checks.matrix("rh", rh, rhOff, batch, hidden, ldrh);
    }

    /** {@link Gates#gruCandidateForward}. */
    public static void gruCandidateForward(int batch, int hidden,
                                           float[] gates, int gatesOff, int ldGates,
                                           float[] hn, int hnOff, int ldhn,
                                           float[] hPrev, int hPrevOff, int ldhPrev,
                                           float[] h, int hOff, int ldh) {
        sizes(batch, hidden);
        Checks.matrix("gates", gates, gatesOff, batch, 3 * hidden, ldGates);
        Checks.matrix("hn", hn, hnOff, batch, hidden, ldhn);
        Checks.matrix("hPrev", hPrev, hPrevOff, batch, hidden, ldhPrev);
        Checks.matrix("h", h, hOff, batch, hidden, ldh);
    }

    /** {@link Gates#gruCandidateBackward}. */
    public static void gruCandidateBackward(int batch, int hidden,
                                            float[] gates, int gatesOff, int ldGates,
                                            float[] hPrev, int hPrevOff, int ldhPrev,
                                            float[] dh, int dhOff, int lddh,
                                            float[] dGates, int dGatesOff, int lddGates,
                                            float[] dhPrev, int dhPrevOff, int lddhPrev) {
        sizes(batch, hidden);
        Checks.matrix("gates", gates, gatesOff, batch, 3 * hidden, ldGates);
        Checks.matrix("hPrev", hPrev, hPrevOff, batch, hidden, ldhPrev);
        Checks.matrix("dh", dh, dhOff, batch, hidden, lddh);
        Checks.matrix("dGates", dGates, dGatesOff, batch, 3 * hidden, lddGates);
        Checks.matrix("dhPrev", dhPrev, dhPrevOff, batch, hidden, lddhPrev);
    }

    /** {@link Gates#gruResetBackward}. */
    public static void gruResetBackward(int batch, int hidden,
                                        float[] gates, int gatesOff, int ldGates,
                                        float[] hPrev, int hPrevOff, int ldhPrev,
                                        float[] dRh, int dRhOff, int lddRh,
                                        float[] dGates, int dGatesOff, int lddGates,
                                        float[] dhPrev, int dhPrevOff, int lddhPrev) {
        sizes(batch, hidden);
        Checks.matrix("gates", gates, gatesOff, batch, hidden, ldGates);
        Checks.matrix("hPrev", hPrev, hPrevOff, batch, hidden, ldhPrev);
        Checks.matrix("dRh", dRh, dRhOff, batch, hidden, lddRh);
        Checks.matrix("dGates", dGates, dGatesOff, batch, hidden, lddGates);
        Checks.matrix("dhPrev", dhPrev, dhPrevOff, batch, hidden, lddhPrev);
    }

    /** {@link Gates#rnnForward}. */
    public static void rnnForward(RnnActivation activation, int batch, int hidden,
                                  float[] pre, int preOff, int ldPre, float[] h, int hOff, int ldh) {
        sizes(batch, hidden);
        Objects.requireNonNull(activation, "activation");
        Checks.matrix("pre", pre, preOff, batch, hidden, ldPre);
        Checks.matrix("h", h, hOff, batch, hidden, ldh);
    }

    /** {@link Gates#rnnBackward}. */
    public static void rnnBackward(RnnActivation activation, int batch, int hidden,
                                   float[] h, int hOff, int ldh, float[] dh, int dhOff, int lddh,
                                   float[] dPre, int dPreOff, int lddPre) {
        sizes(batch, hidden);
        Objects.requireNonNull(activation, "activation");
        Checks.matrix("h", h, hOff, batch, hidden, ldh);
        Checks.matrix("dh", dh, dhOff, batch, hidden, lddh);
        Checks.matrix("dPre", dPre, dPreOff, batch, hidden, lddPre);
    }

    /** {@link VectorOps#axpy} and {@link VectorOps#dot}. */
    public static void vectors(int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.size("n", n);
        Checks.vector("x", x, xOff, n);
        Checks.vector("y", y, yOff, n);
    }

    /** {@link VectorOps#scale} and {@link VectorOps#sumOfSquares}. */
    public static void vector(int n, float[] x, int xOff) {
        Checks.size("n", n);
        Checks.vector("x", x, xOff, n);
    }

    /** {@link VectorOps#adam}. */
    public static void adam(int n, float correction1, float correction2,
                            float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff) {
        Checks.size("n", n);
        Checks.vector("p", p, pOff, n);
        Checks.vector("g", g, gOff, n);
        Checks.vector("m", m, mOff, n);
        Checks.vector("v", v, vOff, n);
        if (!(correction1 > 0f) || !(correction2 > 0f)) {
            throw new IllegalArgumentException("Adam bias corrections must be > 0 (1 - beta^t for t >= 1), found "
                    + correction1 + " and " + correction2);
        }
    }

    /** {@link VectorOps#clamp}. */
    public static void clamp(int n, float lo, float hi, float[] x, int xOff) {
        vector(n, x, xOff);
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp: lo must be <= hi, found lo=" + lo + " hi=" + hi);
        }
    }

    /** {@link VectorOps#momentum} and {@link VectorOps#rmsProp}: parameters, gradients and one state vector. */
    public static void update(int n, float[] p, int pOff, float[] g, int gOff, String stateName, float[] s, int sOff) {
        Checks.size("n", n);
        Checks.vector("p", p, pOff, n);
        Checks.vector("g", g, gOff, n);
        Checks.vector(stateName, s, sOff, n);
    }

    private static void sizes(int batch, int hidden) {
        Checks.size("batch", batch);
        Checks.size("hidden", hidden);
    }
}
