package org.jrnn.tck;

import static org.jrnn.tck.Generators.choice;
import static org.jrnn.tck.Generators.offsets;
import static org.jrnn.tck.Generators.padding;
import static org.jrnn.tck.Generators.sizes;
import static org.jrnn.tck.Generators.tuple;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

import org.jrnn.spi.Activations;
import org.jrnn.spi.Gates;
import org.jrnn.spi.RnnActivation;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Contract of {@link Gates}: every forward and backward gate step against a double-precision evaluation of
 * its formula on the same float inputs, within {@code (3·TRANSCENDENTAL_ULPS + 8)·u} times the magnitude of
 * the values on the path (the bound stated in {@link Gates}); the aliasing each method allows; no write
 * outside the outputs.
 */
public interface GatesContract extends BackendUnderTest {
    /** Roundings on any path through a gate step: three transcendentals and eight float operations. */
    double STEP_ULPS = 3 * Activations.TRANSCENDENTAL_ULPS + 8;

    /** One gate-step problem. {@code alias} asks for the in-place variant each method allows. */
    record GateCase(int batch, int hidden, int off, int pad, boolean alias, long seed) {
    }

    static Gen<GateCase> gateCases() {
        return tuple(sizes(9), sizes(40), offsets(), padding(), choice(2))
                .zip(Generators.seeds(), (t, seed) -> new GateCase(t[0], t[1], t[2], t[3], t[4] == 1, seed));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static void check(String what, GateCase g, int b, int j, float actual, double exact, double scale) {
        double bound = STEP_ULPS * Tolerance.U * (1 + scale) + Tolerance.TINY;
        if (!Tolerance.within(actual, exact, bound)) {
            fail(what + "[" + b + "][" + j + "] = " + actual + ", expected " + exact + " within " + bound + " in " + g);
        }
    }

    private static void noStray(GateCase g, Mat... outputs) {
        for (Mat m : outputs) {
            assertNull(m.strayWrite(), "a gate step wrote outside its output in " + g);
        }
    }

    @Test
    default void lstmForwardMatchesFormula() {
        Gates gates = backend().gates();
        Theories.theory().forAll(gateCases()).checkAssert(g -> {
            SplittableRandom r = new SplittableRandom(g.seed());
            int bs = g.batch();
            int h = g.hidden();
            Mat pre = Mat.random(r, bs, 4 * h, g.off(), g.pad(), 6);
            Mat cPrev = Mat.random(r, bs, h, g.off(), g.pad(), 2);
            Mat act = pre.copy();
            Mat c = g.alias() ? cPrev.copy() : Mat.nan(bs, h, g.off(), g.pad());
            Mat cIn = g.alias() ? c : cPrev;
            Mat tanhC = Mat.nan(bs, h, g.off(), g.pad());
            Mat out = Mat.nan(bs, h, g.off(), g.pad());
            gates.lstmForward(bs, h, act.a, act.off, act.ld, cIn.a, cIn.off, cIn.ld, c.a, c.off, c.ld,
                    tanhC.a, tanhC.off, tanhC.ld, out.a, out.off, out.ld);
            for (int b = 0; b < bs; b++) {
                for (int j = 0; j < h; j++) {
                    double i = sigmoid(pre.get(b, j));
                    double f = sigmoid(pre.get(b, h + j));
                    double gg = Math.tanh(pre.get(b, 2 * h + j));
                    double o = sigmoid(pre.get(b, 3 * h + j));
                    double cp = cPrev.get(b, j);
                    double cn = f * cp + i * gg;
                    double scale = Math.abs(cp);
                    check("i", g, b, j, act.get(b, j), i, 0);
                    check("f", g, b, j, act.get(b, h + j), f, 0);
                    check("g", g, b, j, act.get(b, 2 * h + j), gg, 0);
                    check("o", g, b, j, act.get(b, 3 * h + j), o, 0);
                    check("c", g, b, j, c.get(b, j), cn, scale);
                    check("tanhC", g, b, j, tanhC.get(b, j), Math.tanh(cn), scale);
                    check("h", g, b, j, out.get(b, j), o * Math.tanh(cn), scale);
                }
            }
            noStray(g, act, c, tanhC, out);
        });
    }

    @Test
    default void lstmBackwardMatchesFormula() {
        Gates gates = backend().gates();
        Theories.theory().forAll(gateCases()).checkAssert(g -> {
            SplittableRandom r = new SplittableRandom(g.seed());
            int bs = g.batch();
            int h = g.hidden();
            Mat act = Mat.uniform(r, bs, 4 * h, g.off(), g.pad(), 0, 1);
            for (int b = 0; b < bs; b++) {
                for (int j = 0; j < h; j++) {
                    act.set(b, 2 * h + j, 2 * act.get(b, 2 * h + j) - 1); // g is a tanh output
                }
            }
            Mat cPrev = Mat.random(r, bs, h, g.off(), g.pad(), 2);
            Mat tanhC = Mat.random(r, bs, h, g.off(), g.pad(), 1);
            Mat dh = Mat.random(r, bs, h, g.off(), g.pad(), 1);
            Mat dc = Mat.random(r, bs, h, g.off(), g.pad(), 1);
            Mat dcIn = dc.copy();
            Mat dGates = Mat.nan(bs, 4 * h, g.off(), g.pad());
            Mat dcPrev = g.alias() ? dcIn : Mat.nan(bs, h, g.off(), g.pad());
            gates.lstmBackward(bs, h, act.a, act.off, act.ld, cPrev.a, cPrev.off, cPrev.ld, tanhC.a, tanhC.off,
                    tanhC.ld, dh.a, dh.off, dh.ld, dcIn.a, dcIn.off, dcIn.ld, dGates.a, dGates.off, dGates.ld,
                    dcPrev.a, dcPrev.off, dcPrev.ld);
            for (int b = 0; b < bs; b++) {
                for (int j = 0; j < h; j++) {
                    double i = act.get(b, j);
                    double f = act.get(b, h + j);
                    double gg = act.get(b, 2 * h + j);
                    double o = act.get(b, 3 * h + j);
                    double t = tanhC.get(b, j);
                    double d = dh.get(b, j);
                    double cp = cPrev.get(b, j);
                    double dcTotal = dc.get(b, j) + d * o * (1 - t * t);
                    double scale = (Math.abs(dc.get(b, j)) + Math.abs(d)) * (1 + Math.abs(cp));
                    check("dPre_i", g, b, j, dGates.get(b, j), dcTotal * gg * i * (1 - i), scale);
                    check("dPre_f", g, b, j, dGates.get(b, h + j), dcTotal * cp * f * (1 - f), scale);
                    check("dPre_g", g, b, j, dGates.get(b, 2 * h + j), dcTotal * i * (1 - gg * gg), scale);
                    check("dPre_o", g, b, j, dGates.get(b, 3 * h + j), d * t * o * (1 - o), scale);
                    check("dcPrev", g, b, j, dcPrev.get(b, j), dcTotal * f, scale);
                }
            }
            noStray(g, dGates, dcPrev);
        });
    }

    @Test
    default void gruForwardMatchesFormula() {
        Gates gates = backend().gates();
        Theories.theory().forAll(gateCases()).checkAssert(g -> {
            SplittableRandom r = new SplittableRandom(g.seed());
            int bs = g.batch();
            int h = g.hidden();
            Mat xg = Mat.random(r, bs, 3 * h, g.off(), g.pad(), 4);
            Mat hg = Mat.random(r, bs, 3 * h, g.off(), g.pad(), 4);
            Mat hPrev = Mat.random(r, bs, h, g.off(), g.pad(), 1);
            Mat act = xg.copy();
            Mat hgIn = hg.copy();
            Mat out = g.alias() ? hPrev.copy() : Mat.nan(bs, h, g.off(), g.pad());
            Mat hIn = g.alias() ? out : hPrev;
            gates.gruForward(bs, h, act.a, act.off, act.ld, hgIn.a, hgIn.off, hgIn.ld, hIn.a, hIn.off, hIn.ld,
                    out.a, out.off, out.ld);
            for (int b = 0; b < bs; b++) {
                for (int j = 0; j < h; j++) {
                    double rr = sigmoid(xg.get(b, j) + hg.get(b, j));
                    double z = sigmoid(xg.get(b, h + j) + hg.get(b, h + j));
                    double n = Math.tanh(xg.get(b, 2 * h + j) + rr * hg.get(b, 2 * h + j));
                    double hp = hPrev.get(b, j);
                    double scale = Math.abs(hg.get(b, 2 * h + j)) + Math.abs(hp);
                    check("r", g, b, j, act.get(b, j), rr, 0);
                    check("z", g, b, j, act.get(b, h + j), z, 0);
                    check("n", g, b, j, act.get(b, 2 * h + j), n, scale);
                    check("h", g, b, j, out.get(b, j), (1 - z) * n + z * hp, scale);
                    if (hgIn.get(b, 2 * h + j) != hg.get(b, 2 * h + j)) {
                        fail("gruForward changed hg in " + g);
                    }
                }
            }
            noStray(g, act, out);
        });
    }

    @Test
    default void gruBackwardMatchesFormula() {
        Gates gates = backend().gates();
        Theories.theory().forAll(gateCases()).checkAssert(g -> {
            SplittableRandom r = new SplittableRandom(g.seed());
            int bs = g.batch();
            int h = g.hidden();
            Mat act = Mat.uniform(r, bs, 3 * h, g.off(), g.pad(), 0, 1);
            Mat hg = Mat.random(r, bs, 3 * h, g.off(), g.pad(), 3);
            Mat hPrev = Mat.random(r, bs, h, g.off(), g.pad(), 1);
            Mat dh = Mat.random(r, bs, h, g.off(), g.pad(), 1);
            Mat dhIn = dh.copy();
            Mat dGates = Mat.nan(bs, 3 * h, g.off(), g.pad());
            Mat dHg = Mat.nan(bs, 3 * h, g.off(), g.pad());
            Mat dhPrev = g.alias() ? dhIn : Mat.nan(bs, h, g.off(), g.pad());
            gates.gruBackward(bs, h, act.a, act.off, act.ld, hg.a, hg.off, hg.ld, hPrev.a, hPrev.off, hPrev.ld,
                    dhIn.a, dhIn.off, dhIn.ld, dGates.a, dGates.off, dGates.ld, dHg.a, dHg.off, dHg.ld,
                    dhPrev.a, dhPrev.off, dhPrev.ld);
            for (int b = 0; b < bs; b++) {
                for (int j = 0; j < h; j++) {
                    double rr = act.get(b, j);
                    double z = act.get(b, h + j);
                    double nStored = act.get(b, 2 * h + j);
                    double hp = hPrev.get(b, j);
                    double d = dh.get(b, j);
                    double hn = hg.get(b, 2 * h + j);
                    double dn = d * (1 - z) * (1 - nStored * nStored);
                    double dz = d * (hp - nStored) * z * (1 - z);
                    double dr = dn * hn * rr * (1 - rr);
                    double scale = Math.abs(d) * (1 + Math.abs(hn) + Math.abs(hp));
                    check("dPre_r", g, b, j, dGates.get(b, j), dr, scale);
                    check("dPre_z", g, b, j, dGates.get(b, h + j), dz, scale);
                    check("dPre_n", g, b, j, dGates.get(b, 2 * h + j), dn, scale);
                    check("dHg_r", g, b, j, dHg.get(b, j), dr, scale);
                    check("dHg_z", g, b, j, dHg.get(b, h + j), dz, scale);
                    check("dHg_n", g, b, j, dHg.get(b, 2 * h + j), dn * rr, scale);
                    check("dhPrev", g, b, j, dhPrev.get(b, j), d * z, scale);
                }
            }
            noStray(g, dGates, dHg, dhPrev);
        });
    }

    @Test
    default void gruOriginalFormStepsMatchFormula() {
        Gates gates = backend().gates();
        Theories.theory().forAll(gateCases()).checkAssert(g -> {
            SplittableRandom r = new SplittableRandom(g.seed());
            int bs = g.batch();
            int h = g.hidden();
            Mat xg = Mat.random(r, bs, 3 * h, g.off(), g.pad(), 4);
            Mat hg = Mat.random(r, bs, 3 * h, g.off(), g.pad(), 4);
            Mat hPrev = Mat.random(r, bs, h, g.off(), g.pad(), 1);
            Mat hn = Mat.random(r, bs, h, g.off(), g.pad(), 3);
            Mat act = xg.copy();
            Mat rh = Mat.nan(bs, h, g.off(), g.pad());
            gates.gruResetForward(bs, h, act.a, act.off, act.ld, hg.a, hg.off, hg.ld, hPrev.a, hPrev.off, hPrev.ld,
                    rh.a, rh.off, rh.ld);
            Mat out = g.alias() ? hPrev.copy() : Mat.nan(bs, h, g.off(), g.pad());
            Mat hIn = g.alias() ? out : hPrev;
            gates.gruCandidateForward(bs, h, act.a, act.off, act.ld, hn.a, hn.off, hn.ld, hIn.a, hIn.off, hIn.ld,
                    out.a, out.off, out.ld);
            Mat dh = Mat.random(r, bs, h, g.off(), g.pad(), 1);
            Mat dRh = Mat.random(r, bs, h, g.off(), g.pad(), 1);
            Mat dGates = Mat.nan(bs, 3 * h, g.off(), g.pad());
            Mat dhPrev = Mat.nan(bs, h, g.off(), g.pad());
            gates.gruCandidateBackward(bs, h, act.a, act.off, act.ld, hPrev.a, hPrev.off, hPrev.ld, dh.a, dh.off,
                    dh.ld, dGates.a, dGates.off, dGates.ld, dhPrev.a, dhPrev.off, dhPrev.ld);
            Mat dhDirect = dhPrev.copy();
            gates.gruResetBackward(bs, h, act.a, act.off, act.ld, hPrev.a, hPrev.off, hPrev.ld, dRh.a, dRh.off,
                    dRh.ld, dGates.a, dGates.off, dGates.ld, dhPrev.a, dhPrev.off, dhPrev.ld);
            for (int b = 0; b < bs; b++) {
                for (int j = 0; j < h; j++) {
                    double rr = sigmoid(xg.get(b, j) + hg.get(b, j));
                    double z = sigmoid(xg.get(b, h + j) + hg.get(b, h + j));
                    double hp = hPrev.get(b, j);
                    double n = Math.tanh(xg.get(b, 2 * h + j) + hn.get(b, j));
                    double scale = Math.abs(hn.get(b, j)) + Math.abs(hp);
                    check("r", g, b, j, act.get(b, j), rr, 0);
                    check("z", g, b, j, act.get(b, h + j), z, 0);
                    check("rh", g, b, j, rh.get(b, j), rr * hp, Math.abs(hp));
                    check("n", g, b, j, act.get(b, 2 * h + j), n, scale);
                    check("h", g, b, j, out.get(b, j), (1 - z) * n + z * hp, scale);
                    // backward, from the float activations the forward steps produced
                    double rf = act.get(b, j);
                    double zf = act.get(b, h + j);
                    double nf = act.get(b, 2 * h + j);
                    double d = dh.get(b, j);
                    double dr = dRh.get(b, j);
                    double bscale = (Math.abs(d) + Math.abs(dr)) * (1 + Math.abs(hp));
                    check("dPre_z", g, b, j, dGates.get(b, h + j), d * (hp - nf) * zf * (1 - zf), bscale);
                    check("dPre_n", g, b, j, dGates.get(b, 2 * h + j), d * (1 - zf) * (1 - nf * nf), bscale);
                    check("dhPrev (direct)", g, b, j, dhDirect.get(b, j), d * zf, bscale);
                    check("dPre_r", g, b, j, dGates.get(b, j), dr * hp * rf * (1 - rf), bscale);
                    check("dhPrev", g, b, j, dhPrev.get(b, j), d * zf + dr * rf, bscale);
                }
            }
            noStray(g, act, rh, out, dGates, dhPrev);
        });
    }

    @Test
    default void rnnStepsMatchFormula() {
        Gates gates = backend().gates();
        Theories.theory().forAll(gateCases()).checkAssert(g -> {
            for (RnnActivation activation : RnnActivation.values()) {
                SplittableRandom r = new SplittableRandom(g.seed());
                int bs = g.batch();
                int h = g.hidden();
                Mat pre = Mat.random(r, bs, h, g.off(), g.pad(), 4);
                Mat out = g.alias() ? pre.copy() : Mat.nan(bs, h, g.off(), g.pad());
                Mat in = g.alias() ? out : pre;
                gates.rnnForward(activation, bs, h, in.a, in.off, in.ld, out.a, out.off, out.ld);
                Mat dh = Mat.random(r, bs, h, g.off(), g.pad(), 1);
                Mat dPre = g.alias() ? dh.copy() : Mat.nan(bs, h, g.off(), g.pad());
                Mat dIn = g.alias() ? dPre : dh;
                gates.rnnBackward(activation, bs, h, out.a, out.off, out.ld, dIn.a, dIn.off, dIn.ld,
                        dPre.a, dPre.off, dPre.ld);
                for (int b = 0; b < bs; b++) {
                    for (int j = 0; j < h; j++) {
                        double p = pre.get(b, j);
                        double y = activation == RnnActivation.TANH ? Math.tanh(p) : Math.max(0, p);
                        check(activation + " h", g, b, j, out.get(b, j), y, 0);
                        double yf = out.get(b, j);
                        double d = dh.get(b, j);
                        double dp = activation == RnnActivation.TANH ? d * (1 - yf * yf) : (yf > 0 ? d : 0);
                        check(activation + " dPre", g, b, j, dPre.get(b, j), dp, Math.abs(d));
                    }
                }
                noStray(g, out, dPre);
            }
        });
    }

    @Test
    default void gatesRejectBadArguments() {
        Gates gates = backend().gates();
        float[] big = new float[64];
        float[] small = new float[3];
        float[] untouched = big.clone();
        // gates row narrower than 4H
        assertThrows(IllegalArgumentException.class, () -> gates.lstmForward(1, 2, big, 0, 7, big, 0, 2, big, 0, 2,
                big, 0, 2, big, 0, 2));
        // h too short
        assertThrows(IndexOutOfBoundsException.class, () -> gates.lstmForward(2, 2, big, 0, 8, big, 0, 2, big, 0, 2,
                big, 0, 2, small, 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> gates.gruForward(1, 2, big, 0, 6, big, 0, 6, big, 0, 2,
                small, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> gates.rnnForward(RnnActivation.TANH, -1, 2, big, 0, 2,
                big, 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> gates.gruBackward(1, 2, big, 0, 6, big, 0, 6, big, 0, 2,
                big, 0, 2, big, 0, 6, small, 0, 6, big, 0, 2));
        org.junit.jupiter.api.Assertions.assertArrayEquals(untouched, big, "a rejected call wrote to an array");
    }
}
