package org.jrnn.tck;

import static org.jrnn.tck.Generators.choice;
import static org.jrnn.tck.Generators.offsets;
import static org.jrnn.tck.Generators.padding;
import static org.jrnn.tck.Generators.sizes;
import static org.jrnn.tck.Generators.sizesOrZero;
import static org.jrnn.tck.Generators.tuple;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.jrnn.spi.MatrixOps;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Contract of {@link MatrixOps}: GEMM and GEMV against a double-precision oracle, within
 * {@code (k + 2)·u·(|alpha|·Σ|aᵢₚbₚⱼ| + |beta·c₀|)}, over all transpose combinations, awkward sizes, offsets
 * and padded leading dimensions; elements outside the output are never written; {@code beta == 0} never
 * reads the output.
 */
public interface MatrixOpsContract extends BackendUnderTest {
    /** Largest m, n, k the properties draw. */
    int MAX_DIM = 70;
    /** The values alpha takes. */
    List<Float> ALPHAS = List.of(1f, -1f, 0.5f, 2.5f, 0f);
    /** The values beta takes; 0 means the output must not be read. */
    List<Float> BETAS = List.of(0f, 1f, -0.5f, 2f);
    /** What the output array holds outside the matrix, to catch stray writes. */
    float GUARD = -12345.5f;

    /** One GEMM problem; its {@code toString} is the counterexample QuickTheories reports. */
    record GemmCase(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                    int aOff, int lda, int bOff, int ldb, int cOff, int ldc, long seed) {
        /** The same problem with another beta. */
        GemmCase withBeta(float other) {
            return new GemmCase(transA, transB, m, n, k, alpha, other, aOff, lda, bOff, ldb, cOff, ldc, seed);
        }
    }

    /** GEMM problems biased toward awkward shapes (k may be 0). */
    static Gen<GemmCase> gemmCases() {
        return tuple(choice(2), choice(2), sizes(MAX_DIM), sizes(MAX_DIM), sizesOrZero(MAX_DIM),
                choice(ALPHAS.size()), choice(BETAS.size()), offsets(), padding(), offsets(), padding(),
                offsets(), padding())
                .zip(Generators.seeds(), (t, seed) -> {
                    boolean ta = t[0] == 1;
                    boolean tb = t[1] == 1;
                    int m = t[2];
                    int n = t[3];
                    int k = t[4];
                    int lda = (ta ? m : k) + t[8];
                    int ldb = (tb ? k : n) + t[10];
                    return new GemmCase(ta, tb, m, n, k, ALPHAS.get(t[5]), BETAS.get(t[6]),
                            t[7], Math.max(1, lda), t[9], Math.max(1, ldb), t[11], n + t[12], seed);
                });
    }

    @Test
    default void gemmMatchesDoubleOracle() {
        MatrixOps ops = backend().matrix();
        Theories.theory().forAll(gemmCases()).checkAssert(g -> checkPlain(ops, g));
    }

    /**
     * {@code gemm} past the sizes the properties draw: k across several blocks of a blocked kernel (and a
     * partial last one), n across blocks of several hundred columns with a partial last panel, rows that leave
     * remainders of row tiles; B as it is and transposed, A as it is and transposed.
     */
    @Test
    default void gemmMatchesDoubleOracleOnLargeShapes() {
        MatrixOps ops = backend().matrix();
        checkPlain(ops, new GemmCase(false, false, 9, 1100, 600, 1f, 1f, 3, 601, 2, 1103, 1, 1100, 21));
        checkPlain(ops, new GemmCase(true, false, 13, 700, 530, -0.5f, 0f, 0, 13, 5, 700, 0, 701, 22));
        checkPlain(ops, new GemmCase(false, true, 7, 300, 520, 2.5f, -0.5f, 1, 520, 0, 523, 2, 300, 23));
        checkPlain(ops, new GemmCase(true, true, 5, 90, 700, 1f, 1f, 0, 6, 2, 701, 0, 90, 24));
    }

    private static void checkPlain(MatrixOps ops, GemmCase g) {
        Operands o = operands(g);
        ops.gemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), g.alpha(), o.a(), g.aOff(), g.lda(),
                o.b(), g.bOff(), g.ldb(), g.beta(), o.c(), g.cOff(), g.ldc());
        checkAgainstOracle(g, o.a(), o.b(), o.c0(), o.c());
    }

    /**
     * {@code gemmPacked} on what {@code pack} wrote agrees with the oracle as {@code gemm} must; {@code pack}
     * writes nothing outside {@code [packedOff, packedOff + packedSize(k, n))}, which holds at least k·n floats.
     */
    @Test
    default void gemmPackedMatchesDoubleOracle() {
        MatrixOps ops = backend().matrix();
        Theories.theory().forAll(gemmCases()).checkAssert(g -> checkPacked(ops, g));
    }

    /** The packed product past the sizes the properties draw ({@link #largePackedCases}). */
    @Test
    default void gemmPackedMatchesDoubleOracleOnLargeShapes() {
        MatrixOps ops = backend().matrix();
        largePackedCases().forEach(g -> checkPacked(ops, g));
    }

    /**
     * Packed products past the sizes the properties draw: k across several blocks of a blocked kernel, n across
     * several panels with a partial last one, rows that leave remainders of row tiles, a transposed A whose rows
     * lie more than a thousand floats apart.
     */
    static List<GemmCase> largePackedCases() {
        return List.of(
                new GemmCase(false, true, 9, 150, 300, 1f, 1f, 3, 301, 2, 305, 1, 151, 11),
                new GemmCase(false, false, 67, 129, 520, 0.5f, 0f, 0, 520, 0, 131, 0, 129, 12),
                new GemmCase(false, true, 64, 256, 64, 1f, -0.5f, 5, 64, 0, 64, 7, 260, 13),
                new GemmCase(true, false, 70, 65, 300, 1f, 1f, 2, 72, 1, 65, 0, 65, 14),
                new GemmCase(false, false, 10, 70, 1100, 1f, 0.5f, 1, 1101, 0, 70, 3, 73, 15),
                new GemmCase(true, true, 6, 33, 1100, -1f, 1f, 0, 7, 2, 1103, 0, 33, 16),
                // a weight gradient's shape: A transposed with rows far apart (a backend may copy them first), rows
                // across blocks of 128, k across several blocks, several whole panels and a partial one; C's rows
                // short (303 floats apart) and long (603), as a backend may block k by them
                new GemmCase(true, false, 133, 300, 600, 1f, 0.5f, 4, 1030, 1, 301, 2, 303, 17),
                new GemmCase(true, false, 133, 600, 600, 1f, 0.5f, 4, 1030, 1, 601, 2, 603, 19),
                // an input projection's shape at a large hidden size: deep k, rows across blocks of 256, a partial
                // panel
                new GemmCase(false, true, 300, 130, 1030, 1f, 1f, 1, 1031, 0, 1030, 5, 131, 18));
    }

    /**
     * {@code gemmPackedBias} agrees with the oracle of {@code gemmPacked} with {@code beta = 1} and the bias row
     * in every row of C₀; C holds NaN before the call (it must not be read), the bias is left as it was, nothing
     * outside C is written.
     */
    @Test
    default void gemmPackedBiasMatchesDoubleOracle() {
        MatrixOps ops = backend().matrix();
        Theories.theory().forAll(gemmCases()).checkAssert(g -> checkPackedBias(ops, g));
    }

    /** {@code gemmPackedBias} on the shapes of {@link #largePackedCases}. */
    @Test
    default void gemmPackedBiasMatchesDoubleOracleOnLargeShapes() {
        MatrixOps ops = backend().matrix();
        largePackedCases().forEach(g -> checkPackedBias(ops, g));
    }

    /** The arrays of one GEMM problem: A, B, the output C and a copy of its initial values. */
    record Operands(float[] a, float[] b, float[] c, float[] c0) {
    }

    /**
     * Draws A, B and C as {@code g} lays them out, guards around them; C holds NaN inside the matrix when
     * {@code beta == 0} (it must not be read), and {@code c0} its values before.
     */
    private static Operands operands(GemmCase g) {
        SplittableRandom random = new SplittableRandom(g.seed());
        float[] a = Generators.matrix(random, g.transA() ? g.k() : g.m(), g.transA() ? g.m() : g.k(),
                g.aOff(), g.lda(), 1, GUARD);
        float[] b = Generators.matrix(random, g.transB() ? g.n() : g.k(), g.transB() ? g.k() : g.n(),
                g.bOff(), g.ldb(), 1, GUARD);
        float[] c = Generators.matrix(random, g.m(), g.n(), g.cOff(), g.ldc(), 1, GUARD);
        float[] c0 = c.clone();
        if (g.beta() == 0f) {
            fillMatrix(c, g.cOff(), g.m(), g.n(), g.ldc(), Float.NaN);
        }
        return new Operands(a, b, c, c0);
    }

    private static void checkPacked(MatrixOps ops, GemmCase g) {
        Operands o = operands(g);
        int packedOff = g.aOff() + 1;
        float[] packed = packed(ops, g, o.b(), packedOff);
        ops.gemmPacked(g.transA(), g.m(), g.n(), g.k(), g.alpha(), o.a(), g.aOff(), g.lda(), packed, packedOff,
                g.beta(), o.c(), g.cOff(), g.ldc());
        checkAgainstOracle(g, o.a(), o.b(), o.c0(), o.c());
    }

    private static void checkPackedBias(MatrixOps ops, GemmCase g) {
        Operands o = operands(g);
        int packedOff = g.aOff() + 1;
        float[] packed = packed(ops, g, o.b(), packedOff);
        int biasOff = g.bOff() + 2;
        float[] bias = Generators.matrix(new SplittableRandom(~g.seed()), 1, g.n(), biasOff, g.n(), 1, GUARD);
        float[] biasBefore = bias.clone();
        float[] c = o.c();
        fillMatrix(c, g.cOff(), g.m(), g.n(), g.ldc(), Float.NaN);
        // the oracle's C₀: the bias in every row, added with beta = 1
        float[] c0 = c.clone();
        for (int i = 0; i < g.m(); i++) {
            System.arraycopy(bias, biasOff, c0, g.cOff() + i * g.ldc(), g.n());
        }
        ops.gemmPackedBias(g.transA(), g.m(), g.n(), g.k(), g.alpha(), o.a(), g.aOff(), g.lda(), packed, packedOff,
                bias, biasOff, c, g.cOff(), g.ldc());
        assertArrayEquals(biasBefore, bias, "gemmPackedBias wrote to its bias in " + g);
        checkAgainstOracle(g.withBeta(1f), o.a(), o.b(), c0, c);
    }

    /**
     * B packed by {@code pack} at {@code packedOff} in an array of guards; fails if {@code packedSize} is below
     * k·n or {@code pack} wrote outside {@code [packedOff, packedOff + packedSize(k, n))}.
     */
    private static float[] packed(MatrixOps ops, GemmCase g, float[] b, int packedOff) {
        int size = ops.packedSize(g.k(), g.n());
        if (size < g.k() * g.n()) {
            fail("packedSize(" + g.k() + ", " + g.n() + ") = " + size + ", less than k·n");
        }
        float[] packed = new float[packedOff + size + 3];
        Arrays.fill(packed, GUARD);
        ops.pack(g.transB(), g.k(), g.n(), b, g.bOff(), g.ldb(), packed, packedOff);
        for (int i = 0; i < packed.length; i++) {
            if ((i < packedOff || i >= packedOff + size) && packed[i] != GUARD) {
                fail("pack wrote packed[" + i + "] outside [" + packedOff + ", " + (packedOff + size) + ") in " + g);
            }
        }
        return packed;
    }

    /**
     * Every element of {@code c} within the bound of {@link MatrixOps} of the double-precision product of
     * {@code a} and {@code b} (laid out as {@code g} says) plus {@code beta} times {@code c0}; nothing outside
     * the matrix written.
     */
    private static void checkAgainstOracle(GemmCase g, float[] a, float[] b, float[] c0, float[] c) {
        for (int i = 0; i < g.m(); i++) {
            for (int j = 0; j < g.n(); j++) {
                double sum = 0;
                double abs = 0;
                for (int p = 0; p < g.k(); p++) {
                    double av = a[g.aOff() + (g.transA() ? p * g.lda() + i : i * g.lda() + p)];
                    double bv = b[g.bOff() + (g.transB() ? j * g.ldb() + p : p * g.ldb() + j)];
                    sum += av * bv;
                    abs += Math.abs(av * bv);
                }
                int ci = g.cOff() + i * g.ldc() + j;
                double old = g.beta() == 0f ? 0 : (double) g.beta() * c0[ci];
                double exact = g.alpha() * sum + old;
                double bound = (g.k() + 2) * Tolerance.U * (Math.abs(g.alpha()) * abs + Math.abs(old))
                        + Tolerance.TINY;
                if (!Tolerance.within(c[ci], exact, bound)) {
                    fail("C[" + i + "][" + j + "] = " + c[ci] + ", expected " + exact + " within " + bound
                            + " in " + g);
                }
                c[ci] = GUARD;
            }
        }
        assertGuardsOnly(c, "C outside the m x n matrix was written in " + g);
    }

    /** One GEMV problem. */
    record GemvCase(boolean trans, int m, int n, float alpha, float beta, int aOff, int lda, int xOff, int yOff,
                    long seed) {
    }

    @Test
    default void gemvMatchesDoubleOracle() {
        MatrixOps ops = backend().matrix();
        Gen<GemvCase> cases = tuple(choice(2), sizes(MAX_DIM * 3), sizes(MAX_DIM * 3), choice(ALPHAS.size()),
                choice(BETAS.size()), offsets(), padding(), offsets(), offsets())
                .zip(Generators.seeds(), (t, seed) -> new GemvCase(t[0] == 1, t[1], t[2], ALPHAS.get(t[3]),
                        BETAS.get(t[4]), t[5], t[2] + t[6], t[7], t[8], seed));
        Theories.theory().forAll(cases).checkAssert(g -> {
            SplittableRandom random = new SplittableRandom(g.seed());
            int xLength = g.trans() ? g.m() : g.n();
            int yLength = g.trans() ? g.n() : g.m();
            float[] a = Generators.matrix(random, g.m(), g.n(), g.aOff(), g.lda(), 1, GUARD);
            float[] x = Generators.matrix(random, 1, xLength, g.xOff(), xLength, 1, GUARD);
            float[] y = Generators.matrix(random, 1, yLength, g.yOff(), yLength, 1, GUARD);
            float[] y0 = y.clone();
            if (g.beta() == 0f) {
                Arrays.fill(y, g.yOff(), g.yOff() + yLength, Float.NaN);
            }
            ops.gemv(g.trans(), g.m(), g.n(), g.alpha(), a, g.aOff(), g.lda(), x, g.xOff(), g.beta(), y, g.yOff());
            for (int i = 0; i < yLength; i++) {
                double sum = 0;
                double abs = 0;
                for (int p = 0; p < xLength; p++) {
                    double av = a[g.aOff() + (g.trans() ? p * g.lda() + i : i * g.lda() + p)];
                    double prod = av * x[g.xOff() + p];
                    sum += prod;
                    abs += Math.abs(prod);
                }
                double old = g.beta() == 0f ? 0 : (double) g.beta() * y0[g.yOff() + i];
                double exact = g.alpha() * sum + old;
                double bound = (xLength + 2) * Tolerance.U * (Math.abs(g.alpha()) * abs + Math.abs(old))
                        + Tolerance.TINY;
                if (!Tolerance.within(y[g.yOff() + i], exact, bound)) {
                    fail("y[" + i + "] = " + y[g.yOff() + i] + ", expected " + exact + " within " + bound + " in " + g);
                }
                y[g.yOff() + i] = GUARD;
            }
            assertGuardsOnly(y, "y outside its range was written in " + g);
        });
    }

    @Test
    default void gemmRejectsBadArgumentsBeforeWriting() {
        MatrixOps ops = backend().matrix();
        float[] a = new float[6];
        float[] b = new float[6];
        float[] c = new float[4];
        Arrays.fill(c, GUARD);
        float[] before = c.clone();
        // lda smaller than the row of A (k = 3)
        assertThrows(IllegalArgumentException.class,
                () -> ops.gemm(false, false, 2, 2, 3, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
        // C too short for [2][2] at offset 1
        assertThrows(IndexOutOfBoundsException.class,
                () -> ops.gemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 1, 2));
        // negative size
        assertThrows(IllegalArgumentException.class,
                () -> ops.gemm(false, false, -1, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2));
        // B too short when transposed ([2][3] needs 6 elements from offset 1)
        assertThrows(IndexOutOfBoundsException.class,
                () -> ops.gemm(false, true, 2, 2, 3, 1f, a, 0, 3, b, 1, 3, 0f, c, 0, 2));
        assertThrows(IndexOutOfBoundsException.class,
                () -> ops.gemv(false, 2, 3, 1f, a, 0, 3, b, 4, 0f, c, 0));
        assertArrayEquals(before, c, "a rejected call wrote to its output");
    }

    @Test
    default void packAndGemmPackedRejectBadArgumentsBeforeWriting() {
        MatrixOps ops = backend().matrix();
        float[] b = new float[6];
        int size = ops.packedSize(3, 2);
        float[] packed = new float[size];
        Arrays.fill(packed, GUARD);
        float[] packedBefore = packed.clone();
        // B [2][3] transposed needs 6 elements from offset 1
        assertThrows(IndexOutOfBoundsException.class, () -> ops.pack(true, 3, 2, b, 1, 3, packed, 0));
        // the packed range does not fit from offset 1
        assertThrows(IndexOutOfBoundsException.class, () -> ops.pack(false, 3, 2, b, 0, 2, packed, 1));
        assertThrows(IllegalArgumentException.class, () -> ops.packedSize(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> ops.packedSize(1 << 16, 1 << 16));
        assertArrayEquals(packedBefore, packed, "a rejected pack wrote to its output");
        float[] a = new float[6];
        float[] c = new float[4];
        Arrays.fill(c, GUARD);
        float[] before = c.clone();
        // lda smaller than k = 3
        assertThrows(IllegalArgumentException.class,
                () -> ops.gemmPacked(false, 2, 2, 3, 1f, a, 0, 2, packed, 0, 0f, c, 0, 2));
        // packed too short from offset 1
        assertThrows(IndexOutOfBoundsException.class,
                () -> ops.gemmPacked(false, 2, 2, 3, 1f, a, 0, 3, packed, 1, 0f, c, 0, 2));
        // C too short at offset 1
        assertThrows(IndexOutOfBoundsException.class,
                () -> ops.gemmPacked(false, 2, 2, 3, 1f, a, 0, 3, packed, 0, 0f, c, 1, 2));
        // A [k=3][m=2] transposed needs lda >= m = 2 and 3 rows from offset 1: 7 elements of 6
        assertThrows(IndexOutOfBoundsException.class,
                () -> ops.gemmPacked(true, 2, 2, 3, 1f, a, 1, 2, packed, 0, 0f, c, 0, 2));
        assertArrayEquals(before, c, "a rejected gemmPacked wrote to its output");
        // a bias of 2 floats does not fit from offset 1 of 2
        float[] bias = new float[2];
        assertThrows(IndexOutOfBoundsException.class,
                () -> ops.gemmPackedBias(false, 2, 2, 3, 1f, a, 0, 3, packed, 0, bias, 1, c, 0, 2));
        assertThrows(NullPointerException.class,
                () -> ops.gemmPackedBias(false, 2, 2, 3, 1f, a, 0, 3, packed, 0, null, 0, c, 0, 2));
        // lda smaller than k = 3, with a good bias
        assertThrows(IllegalArgumentException.class,
                () -> ops.gemmPackedBias(false, 2, 2, 3, 1f, a, 0, 2, packed, 0, bias, 0, c, 0, 2));
        assertArrayEquals(before, c, "a rejected gemmPackedBias wrote to its output");
    }

    private static void fillMatrix(float[] c, int off, int rows, int cols, int ld, float value) {
        for (int r = 0; r < rows; r++) {
            Arrays.fill(c, off + r * ld, off + r * ld + cols, value);
        }
    }

    private static void assertGuardsOnly(float[] a, String message) {
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(GUARD)) {
                fail(message + " (index " + i + " holds " + a[i] + ")");
            }
        }
    }
}
