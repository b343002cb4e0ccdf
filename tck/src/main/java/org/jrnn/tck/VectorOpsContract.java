package org.jrnn.tck;

import static org.jrnn.tck.Generators.choice;
import static org.jrnn.tck.Generators.offsets;
import static org.jrnn.tck.Generators.sizes;
import static org.jrnn.tck.Generators.tuple;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;

import org.jrnn.spi.VectorOps;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Contract of {@link VectorOps}: each operation against a double oracle within the bound it documents. */
public interface VectorOpsContract extends BackendUnderTest {
    /** Largest vector length drawn. */
    int MAX_LENGTH = 300;
    /** Scalars used as alpha. */
    List<Float> ALPHAS = List.of(1f, -0.5f, 3f, 0f);

    /** One vector problem. */
    record VectorCase(int n, int xOff, int yOff, float alpha, long seed) {
    }

    static Gen<VectorCase> vectorCases() {
        return tuple(sizes(MAX_LENGTH), offsets(), offsets(), choice(ALPHAS.size()))
                .zip(Generators.seeds(), (t, seed) -> new VectorCase(t[0], t[1], t[2], ALPHAS.get(t[3]), seed));
    }

    private static void check(String what, Object c, int i, float actual, double exact, double bound) {
        if (!Tolerance.within(actual, exact, bound + Tolerance.TINY)) {
            fail(what + "[" + i + "] = " + actual + ", expected " + exact + " within " + bound + " in " + c);
        }
    }

    @Test
    default void axpyScaleDotAndSumOfSquaresMatchOracle() {
        VectorOps ops = backend().vectors();
        Theories.theory().forAll(vectorCases()).checkAssert(c -> {
            SplittableRandom r = new SplittableRandom(c.seed());
            int n = c.n();
            float[] x = new float[c.xOff() + n];
            float[] y = new float[c.yOff() + n];
            Generators.fill(r, x, c.xOff(), n, 2);
            Generators.fill(r, y, c.yOff(), n, 2);
            float[] y0 = y.clone();
            ops.axpy(n, c.alpha(), x, c.xOff(), y, c.yOff());
            double dot = 0;
            double dotAbs = 0;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double xi = x[c.xOff() + i];
                double yi = y0[c.yOff() + i];
                double ax = c.alpha() * xi;
                check("axpy", c, i, y[c.yOff() + i], yi + ax, 2 * Tolerance.U * (Math.abs(yi) + Math.abs(ax)));
                dot += xi * yi;
                dotAbs += Math.abs(xi * yi);
                squares += xi * xi;
            }
            float d = ops.dot(n, x, c.xOff(), y0, c.yOff());
            check("dot", c, 0, d, dot, (n + 2) * Tolerance.U * dotAbs);
            double s = ops.sumOfSquares(n, x, c.xOff());
            if (Math.abs(s - squares) > (n + 2) * Tolerance.U_DOUBLE * squares) {
                fail("sumOfSquares = " + s + ", expected " + squares + " in " + c);
            }
            float[] scaled = x.clone();
            ops.scale(n, c.alpha(), scaled, c.xOff());
            for (int i = 0; i < n; i++) {
                double e = (double) c.alpha() * x[c.xOff() + i];
                check("scale", c, i, scaled[c.xOff() + i], e, Tolerance.U * Math.abs(e));
            }
        });
    }

    @Test
    default void sumOfSquaresNeitherOverflowsNorHidesNonFinite() {
        VectorOps ops = backend().vectors();
        float[] large = {Float.MAX_VALUE, Float.MAX_VALUE, 1f};
        double s = ops.sumOfSquares(3, large, 0);
        double exact = 2.0 * Float.MAX_VALUE * (double) Float.MAX_VALUE + 1;
        assertTrue(Math.abs(s - exact) <= 5 * Tolerance.U_DOUBLE * exact, "sum of squares of MAX_VALUE: " + s);
        assertTrue(Double.isNaN(ops.sumOfSquares(3, new float[] {1f, Float.NaN, 2f}, 0)), "NaN must propagate");
        assertTrue(Double.isInfinite(ops.sumOfSquares(2, new float[] {Float.NEGATIVE_INFINITY, 1f}, 0)),
                "infinity must propagate");
    }

    /** One Adam problem. */
    record AdamCase(int n, int off, int step, float lr, float weightDecay, long seed) {
    }

    @Test
    default void adamMatchesOracle() {
        VectorOps ops = backend().vectors();
        List<Float> rates = List.of(1e-3f, 0.1f);
        List<Float> decays = List.of(0f, 0.01f);
        List<Integer> steps = List.of(1, 2, 10, 1000);
        Gen<AdamCase> cases = tuple(sizes(MAX_LENGTH), offsets(), choice(steps.size()), choice(rates.size()),
                choice(decays.size()))
                .zip(Generators.seeds(), (t, seed) -> new AdamCase(t[0], t[1], steps.get(t[2]), rates.get(t[3]),
                        decays.get(t[4]), seed));
        float beta1 = 0.9f;
        float beta2 = 0.999f;
        float eps = 1e-8f;
        Theories.theory().forAll(cases).checkAssert(c -> {
            SplittableRandom r = new SplittableRandom(c.seed());
            int n = c.n();
            int off = c.off();
            float[] p = new float[off + n];
            float[] g = new float[off + n];
            float[] m = new float[off + n];
            float[] v = new float[off + n];
            Generators.fill(r, p, off, n, 1);
            Generators.fill(r, g, off, n, 1);
            Generators.fill(r, m, off, n, 0.1);
            for (int i = 0; i < n; i++) {
                v[off + i] = (float) (0.01 * r.nextDouble());
            }
            float[] p0 = p.clone();
            float[] g0 = g.clone();
            float[] m0 = m.clone();
            float[] v0 = v.clone();
            float c1 = (float) (1 - Math.pow(beta1, c.step()));
            float c2 = (float) (1 - Math.pow(beta2, c.step()));
            ops.adam(n, c.lr(), beta1, beta2, eps, c.weightDecay(), c1, c2, p, off, g, off, m, off, v, off);
            for (int i = off; i < off + n; i++) {
                double gi = g0[i];
                double mi = beta1 * (double) m0[i] + (1 - (double) beta1) * gi;
                double vi = beta2 * (double) v0[i] + (1 - (double) beta2) * gi * gi;
                check("m", c, i, m[i], mi, 4 * Tolerance.U * (Math.abs(beta1 * m0[i]) + Math.abs(gi)));
                check("v", c, i, v[i], vi, 6 * Tolerance.U * (Math.abs(beta2 * v0[i]) + gi * gi));
                double stepExact = (mi / c1) / (Math.sqrt(vi / c2) + eps);
                double pi = p0[i] - c.lr() * (stepExact + c.weightDecay() * p0[i]);
                // m may cancel, so the step's error scales with the magnitudes that formed m; every other
                // factor carries a few roundings: 16 u in all
                double stepScale = (Math.abs(beta1 * m0[i]) + Math.abs((1 - beta1) * gi)) / c1
                        / (Math.sqrt(vi / c2) + eps);
                double bound = 16 * Tolerance.U * (Math.abs(p0[i]) + c.lr() * (stepScale
                        + Math.abs(c.weightDecay() * p0[i])));
                check("p", c, i, p[i], pi, bound);
                if (g[i] != g0[i]) {
                    fail("adam changed the gradient in " + c);
                }
            }
        });
    }

    @Test
    default void multiplyAndClampMatchOracle() {
        VectorOps ops = backend().vectors();
        Theories.theory().forAll(vectorCases()).checkAssert(c -> {
            SplittableRandom r = new SplittableRandom(c.seed());
            int n = c.n();
            float[] x = new float[c.xOff() + n];
            float[] y = new float[c.yOff() + n];
            Generators.fill(r, x, c.xOff(), n, 2);
            Generators.fill(r, y, c.yOff(), n, 2);
            float[] y0 = y.clone();
            ops.multiply(n, x, c.xOff(), y, c.yOff());
            for (int i = 0; i < n; i++) {
                double e = (double) x[c.xOff() + i] * y0[c.yOff() + i];
                check("multiply", c, i, y[c.yOff() + i], e, Tolerance.U * Math.abs(e));
            }
            float lo = -Math.abs(c.alpha());
            float hi = Math.abs(c.alpha()) / 2;
            float[] clamped = x.clone();
            ops.clamp(n, lo, hi, clamped, c.xOff());
            for (int i = 0; i < clamped.length; i++) {
                float e = i < c.xOff() ? x[i] : Math.min(Math.max(x[i], lo), hi);
                if (clamped[i] != e) {
                    fail("clamp[" + i + "] = " + clamped[i] + ", expected " + e + " in " + c);
                }
            }
        });
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f};
        ops.clamp(4, -1f, 1f, special, 0);
        assertTrue(Float.isNaN(special[0]) && special[1] == 1f && special[2] == -1f,
                "clamp keeps NaN and bounds infinities: " + java.util.Arrays.toString(special));
        assertThrows(IllegalArgumentException.class, () -> ops.clamp(1, 1f, -1f, new float[1], 0));
    }

    /** One momentum or RMSProp problem. */
    record UpdateCase(int n, int off, float lr, float decay, boolean nesterov, long seed) {
    }

    private static Gen<UpdateCase> updateCases() {
        List<Float> rates = List.of(1e-3f, 0.1f);
        List<Float> decays = List.of(0f, 0.01f);
        return tuple(sizes(MAX_LENGTH), offsets(), choice(rates.size()), choice(decays.size()), choice(2))
                .zip(Generators.seeds(), (t, seed) -> new UpdateCase(t[0], t[1], rates.get(t[2]),
                        decays.get(t[3]), t[4] == 1, seed));
    }

    @Test
    default void momentumMatchesOracle() {
        VectorOps ops = backend().vectors();
        float mu = 0.9f;
        Theories.theory().forAll(updateCases()).checkAssert(c -> {
            SplittableRandom r = new SplittableRandom(c.seed());
            int n = c.n();
            int off = c.off();
            float[] p = new float[off + n];
            float[] g = new float[off + n];
            float[] u = new float[off + n];
            Generators.fill(r, p, off, n, 1);
            Generators.fill(r, g, off, n, 1);
            Generators.fill(r, u, off, n, 1);
            float[] p0 = p.clone();
            float[] g0 = g.clone();
            float[] u0 = u.clone();
            ops.momentum(n, c.lr(), mu, c.nesterov(), c.decay(), p, off, g, off, u, off);
            for (int i = off; i < off + n; i++) {
                double d = g0[i] + (double) c.decay() * p0[i];
                double dScale = Math.abs(g0[i]) + Math.abs(c.decay() * p0[i]);
                double ui = mu * (double) u0[i] + d;
                double uScale = Math.abs(mu * u0[i]) + dScale;
                check("u", c, i, u[i], ui, 4 * Tolerance.U * uScale);
                double step = c.nesterov() ? d + mu * ui : ui;
                double stepScale = c.nesterov() ? dScale + mu * uScale : uScale;
                check("p", c, i, p[i], p0[i] - c.lr() * step,
                        8 * Tolerance.U * (Math.abs(p0[i]) + c.lr() * stepScale));
                if (g[i] != g0[i]) {
                    fail("momentum changed the gradient in " + c);
                }
            }
        });
    }

    @Test
    default void rmsPropMatchesOracle() {
        VectorOps ops = backend().vectors();
        float rho = 0.99f;
        float eps = 1e-8f;
        Theories.theory().forAll(updateCases()).checkAssert(c -> {
            SplittableRandom r = new SplittableRandom(c.seed());
            int n = c.n();
            int off = c.off();
            float[] p = new float[off + n];
            float[] g = new float[off + n];
            float[] s = new float[off + n];
            Generators.fill(r, p, off, n, 1);
            Generators.fill(r, g, off, n, 1);
            for (int i = 0; i < n; i++) {
                s[off + i] = (float) (0.01 * r.nextDouble());
            }
            float[] p0 = p.clone();
            float[] g0 = g.clone();
            float[] s0 = s.clone();
            ops.rmsProp(n, c.lr(), rho, eps, c.decay(), p, off, g, off, s, off);
            for (int i = off; i < off + n; i++) {
                double d = g0[i] + (double) c.decay() * p0[i];
                double dScale = Math.abs(g0[i]) + Math.abs(c.decay() * p0[i]);
                double si = rho * (double) s0[i] + (1 - (double) rho) * d * d;
                check("s", c, i, s[i], si, 8 * Tolerance.U * (rho * s0[i] + dScale * dScale));
                double step = d / (Math.sqrt(si) + eps);
                double stepScale = dScale / (Math.sqrt(si) + eps);
                check("p", c, i, p[i], p0[i] - c.lr() * step,
                        16 * Tolerance.U * (Math.abs(p0[i]) + c.lr() * stepScale));
                if (g[i] != g0[i]) {
                    fail("rmsProp changed the gradient in " + c);
                }
            }
        });
    }

    @Test
    default void vectorOpsRejectBadArguments() {
        VectorOps ops = backend().vectors();
        float[] a = new float[4];
        float[] b = new float[3];
        assertThrows(IndexOutOfBoundsException.class, () -> ops.axpy(4, 1f, a, 0, b, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> ops.dot(4, a, 1, a, 0));
        assertThrows(IllegalArgumentException.class, () -> ops.scale(-2, 1f, a, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> ops.sumOfSquares(5, a, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> ops.adam(4, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0.1f, 0.001f, a, 0, a, 0, a, 0, b, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> ops.multiply(4, a, 0, b, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> ops.clamp(4, -1f, 1f, b, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> ops.momentum(4, 0.1f, 0.9f, false, 0f, a, 0, a, 0, b, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> ops.rmsProp(4, 0.1f, 0.9f, 1e-8f, 0f, a, 0, b, 0, a, 0));
    }
}
