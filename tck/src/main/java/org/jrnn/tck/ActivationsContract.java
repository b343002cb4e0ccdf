package org.jrnn.tck;

import static org.jrnn.tck.Generators.choice;
import static org.jrnn.tck.Generators.offsets;
import static org.jrnn.tck.Generators.padding;
import static org.jrnn.tck.Generators.sizes;
import static org.jrnn.tck.Generators.tuple;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.jrnn.spi.Activations;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Contract of {@link Activations}: each function against a double oracle within
 * {@link Activations#TRANSCENDENTAL_ULPS} ulps (plus {@code 2⁻²⁴} absolute), ReLU exactly, backward forms
 * within a few roundings, softmax rows, in place and out of place, over awkward lengths and offsets.
 */
public interface ActivationsContract extends BackendUnderTest {
    /** Largest vector length drawn. */
    int MAX_LENGTH = 200;
    /** Input scales: small values, the saturating range, and extremes where exp overflows. */
    List<Double> SCALES = List.of(1.0, 8.0, 100.0);

    /** One element-wise problem: length, offsets, in place or not, value scale, seed. */
    record UnaryCase(int n, int xOff, int yOff, boolean inPlace, double scale, long seed) {
    }

    static Gen<UnaryCase> unaryCases() {
        return tuple(sizes(MAX_LENGTH), offsets(), offsets(), choice(2), choice(SCALES.size()))
                .zip(Generators.seeds(), (t, seed) -> new UnaryCase(t[0], t[1], t[2], t[3] == 1,
                        SCALES.get(t[4]), seed));
    }

    /** Applies a forward activation per the case and checks each element against {@code exact}. */
    private void checkUnary(UnaryCase u, String name, Forward op, DoubleUnaryOperator exact, boolean exactly) {
        SplittableRandom random = new SplittableRandom(u.seed());
        float[] x = new float[u.xOff() + u.n() + 2];
        Generators.fill(random, x, u.xOff(), u.n(), u.scale());
        float[] input = x.clone();
        float[] y;
        int yOff;
        if (u.inPlace()) {
            y = x;
            yOff = u.xOff();
        } else {
            y = new float[u.yOff() + u.n() + 2];
            java.util.Arrays.fill(y, Float.NaN);
            yOff = u.yOff();
        }
        op.apply(u.n(), x, u.xOff(), y, yOff);
        for (int i = 0; i < u.n(); i++) {
            double e = exact.applyAsDouble(input[u.xOff() + i]);
            float got = y[yOff + i];
            double bound = exactly ? 0 : Activations.TRANSCENDENTAL_ULPS * Math.ulp((float) e) + Tolerance.U;
            if (!Tolerance.within(got, e, bound)) {
                fail(name + "(" + input[u.xOff() + i] + ") = " + got + ", expected " + e + " within " + bound
                        + " at index " + i + " in " + u);
            }
        }
        if (!u.inPlace()) {
            assertArrayEquals(input, x, name + " changed its input in " + u);
        }
    }

    /** The shape of a forward activation. */
    @FunctionalInterface
    interface Forward {
        void apply(int n, float[] x, int xOff, float[] y, int yOff);
    }

    /** The shape of a backward activation. */
    @FunctionalInterface
    interface Backward {
        void apply(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);
    }

    @Test
    default void sigmoidWithinUlps() {
        Activations a = backend().activations();
        Theories.theory().forAll(unaryCases()).checkAssert(u ->
                checkUnary(u, "sigmoid", a::sigmoid, v -> 1 / (1 + Math.exp(-v)), false));
    }

    @Test
    default void tanhWithinUlps() {
        Activations a = backend().activations();
        Theories.theory().forAll(unaryCases()).checkAssert(u -> checkUnary(u, "tanh", a::tanh, Math::tanh, false));
    }

    @Test
    default void reluIsExact() {
        Activations a = backend().activations();
        Theories.theory().forAll(unaryCases()).checkAssert(u -> checkUnary(u, "relu", a::relu,
                v -> Math.max(0, v), true));
    }

    /** Backward forms: {@code dx = dy·f'(y)} with f' from the output, within four roundings. */
    @Test
    default void backwardFormsMatchDerivativesOfOutputs() {
        Activations a = backend().activations();
        Theories.theory().forAll(unaryCases()).checkAssert(u -> {
            checkBackward(u, "sigmoidBackward", a::sigmoidBackward, true, (y, dy) -> dy * y * (1 - y));
            checkBackward(u, "tanhBackward", a::tanhBackward, false, (y, dy) -> dy * (1 - y * y));
            checkBackward(u, "reluBackward", a::reluBackward, false, (y, dy) -> y > 0 ? dy : 0);
        });
    }

    private void checkBackward(UnaryCase u, String name, Backward op, boolean sigmoidRange,
                               java.util.function.DoubleBinaryOperator exact) {
        SplittableRandom random = new SplittableRandom(u.seed());
        int n = u.n();
        float[] y = new float[u.xOff() + n];
        for (int i = 0; i < n; i++) {
            // outputs in the range of the activation: (0, 1) for sigmoid, (-1, 1) for tanh, relu
            y[u.xOff() + i] = (float) (sigmoidRange ? random.nextDouble() : 2 * random.nextDouble() - 1);
        }
        float[] dy = new float[u.yOff() + n];
        Generators.fill(random, dy, u.yOff(), n, u.scale());
        float[] dyCopy = dy.clone();
        float[] dx = u.inPlace() ? dy : new float[u.yOff() + n];
        op.apply(n, y, u.xOff(), dy, u.yOff(), dx, u.yOff());
        for (int i = 0; i < n; i++) {
            double yi = y[u.xOff() + i];
            double d = dyCopy[u.yOff() + i];
            double e = exact.applyAsDouble(yi, d);
            double bound = 4 * Tolerance.U * Math.abs(d) * (1 + Math.abs(yi)) + Tolerance.TINY;
            if (!Tolerance.within(dx[u.yOff() + i], e, bound)) {
                fail(name + "(y=" + yi + ", dy=" + d + ") = " + dx[u.yOff() + i] + ", expected " + e + " in " + u);
            }
        }
    }

    /** One row-wise problem. */
    record RowCase(int rows, int cols, int off, int pad, boolean inPlace, double scale, long seed) {
    }

    static Gen<RowCase> rowCases() {
        return tuple(sizes(9), sizes(MAX_LENGTH), offsets(), padding(), choice(2), choice(SCALES.size()))
                .zip(Generators.seeds(), (t, seed) -> new RowCase(t[0], t[1], t[2], t[3], t[4] == 1,
                        SCALES.get(t[5]), seed));
    }

    @Test
    default void softmaxAndLogSoftmaxMatchOracle() {
        Activations a = backend().activations();
        Theories.theory().forAll(rowCases()).checkAssert(r -> {
            int ld = r.cols() + r.pad();
            float[] x = Generators.matrix(new SplittableRandom(r.seed()), r.rows(), r.cols(), r.off(), ld,
                    r.scale(), 0f);
            float[] soft = r.inPlace() ? x.clone() : new float[x.length];
            float[] log = r.inPlace() ? x.clone() : new float[x.length];
            a.softmax(r.rows(), r.cols(), r.inPlace() ? soft : x, r.off(), ld, soft, r.off(), ld);
            a.logSoftmax(r.rows(), r.cols(), r.inPlace() ? log : x, r.off(), ld, log, r.off(), ld);
            double slack = (r.cols() + 2 * Activations.TRANSCENDENTAL_ULPS + 4) * Tolerance.U;
            for (int row = 0; row < r.rows(); row++) {
                int base = r.off() + row * ld;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < r.cols(); c++) {
                    max = Math.max(max, x[base + c]);
                }
                double sum = 0;
                for (int c = 0; c < r.cols(); c++) {
                    sum += Math.exp(x[base + c] - max);
                }
                double logSum = Math.log(sum);
                double rowSum = 0;
                for (int c = 0; c < r.cols(); c++) {
                    double shifted = x[base + c] - max;
                    double p = Math.exp(shifted) / sum;
                    double lp = shifted - logSum;
                    if (!Tolerance.within(soft[base + c], p, slack * p + Tolerance.TINY)) {
                        fail("softmax[" + row + "][" + c + "] = " + soft[base + c] + ", expected " + p + " in " + r);
                    }
                    double logBound = slack * (Math.abs(shifted) + Math.abs(logSum) + 1);
                    if (!Tolerance.within(log[base + c], lp, logBound)) {
                        fail("logSoftmax[" + row + "][" + c + "] = " + log[base + c] + ", expected " + lp + " in " + r);
                    }
                    rowSum += soft[base + c];
                }
                if (Math.abs(rowSum - 1) > (r.cols() + 8) * Tolerance.U + slack) {
                    fail("softmax row " + row + " sums to " + rowSum + " in " + r);
                }
            }
        });
    }

    @Test
    default void softmaxBackwardFormsMatchOracle() {
        Activations a = backend().activations();
        Theories.theory().forAll(rowCases()).checkAssert(r -> {
            int ld = r.cols() + r.pad();
            SplittableRandom random = new SplittableRandom(r.seed());
            float[] x = Generators.matrix(random, r.rows(), r.cols(), r.off(), ld, r.scale(), 0f);
            float[] soft = new float[x.length];
            float[] log = new float[x.length];
            a.softmax(r.rows(), r.cols(), x, r.off(), ld, soft, r.off(), ld);
            a.logSoftmax(r.rows(), r.cols(), x, r.off(), ld, log, r.off(), ld);
            float[] dy = Generators.matrix(random, r.rows(), r.cols(), r.off(), ld, 1, 0f);
            float[] dxSoft = r.inPlace() ? dy.clone() : new float[x.length];
            float[] dxLog = r.inPlace() ? dy.clone() : new float[x.length];
            a.softmaxBackward(r.rows(), r.cols(), soft, r.off(), ld, r.inPlace() ? dxSoft : dy, r.off(), ld,
                    dxSoft, r.off(), ld);
            a.logSoftmaxBackward(r.rows(), r.cols(), log, r.off(), ld, r.inPlace() ? dxLog : dy, r.off(), ld,
                    dxLog, r.off(), ld);
            double slack = (r.cols() + 2 * Activations.TRANSCENDENTAL_ULPS + 4) * Tolerance.U;
            for (int row = 0; row < r.rows(); row++) {
                int base = r.off() + row * ld;
                double dot = 0;
                double dotAbs = 0;
                double sum = 0;
                double sumAbs = 0;
                for (int c = 0; c < r.cols(); c++) {
                    dot += (double) dy[base + c] * soft[base + c];
                    dotAbs += Math.abs((double) dy[base + c] * soft[base + c]);
                    sum += dy[base + c];
                    sumAbs += Math.abs(dy[base + c]);
                }
                for (int c = 0; c < r.cols(); c++) {
                    double y = soft[base + c];
                    double d = dy[base + c];
                    double e = y * (d - dot);
                    double bound = slack * y * (Math.abs(d) + dotAbs) + Tolerance.TINY;
                    if (!Tolerance.within(dxSoft[base + c], e, bound)) {
                        fail("softmaxBackward[" + row + "][" + c + "] = " + dxSoft[base + c] + ", expected " + e
                                + " in " + r);
                    }
                    double p = Math.exp(log[base + c]);
                    double eLog = d - p * sum;
                    double logBound = slack * (Math.abs(d) + p * sumAbs) + Tolerance.TINY;
                    if (!Tolerance.within(dxLog[base + c], eLog, logBound)) {
                        fail("logSoftmaxBackward[" + row + "][" + c + "] = " + dxLog[base + c] + ", expected "
                                + eLog + " in " + r);
                    }
                }
            }
        });
    }

    @Test
    default void activationsRejectBadArguments() {
        Activations a = backend().activations();
        float[] x = new float[4];
        float[] y = new float[3];
        assertThrows(IndexOutOfBoundsException.class, () -> a.sigmoid(4, x, 0, y, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> a.tanh(4, x, 1, x, 0));
        assertThrows(IllegalArgumentException.class, () -> a.relu(-1, x, 0, y, 0));
        assertThrows(IllegalArgumentException.class, () -> a.softmax(1, 0, x, 0, 1, y, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> a.logSoftmax(2, 2, x, 0, 1, x, 0, 2));
        assertThrows(IndexOutOfBoundsException.class,
                () -> a.softmaxBackward(2, 2, x, 0, 2, x, 0, 2, y, 0, 2));
    }
}
