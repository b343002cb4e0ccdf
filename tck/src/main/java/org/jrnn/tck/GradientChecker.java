package org.jrnn.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Checks an analytic gradient against central finite differences of a function evaluated in double.
 *
 * <p>For each coordinate {@code i} the numeric derivative is {@code (f(x + εeᵢ) − f(x − εeᵢ)) / 2ε} with
 * {@code ε = step·max(1, |xᵢ|)}; in double with {@code step = 1e-5} its error is far below float rounding.
 * A coordinate passes when {@code |analytic − numeric| <= relative·|numeric| + absolute·max(1, max|numeric|)},
 * so that the tolerance scales with the gradient. The defaults ({@link #FLOAT_RELATIVE},
 * {@link #FLOAT_ABSOLUTE}) suit analytic gradients computed in float over short sequences: float rounding
 * gives errors near {@code 1e-6}, while a wrong formula (a sign flip, a missing term) gives errors of the
 * order of the gradient itself.
 */
public final class GradientChecker {
    /** Relative tolerance for float gradients. */
    public static final double FLOAT_RELATIVE = 1e-3;
    /** Absolute tolerance for float gradients, in units of {@code max(1, max|numeric|)}. */
    public static final double FLOAT_ABSOLUTE = 1e-4;
    /** The finite-difference step, relative to {@code max(1, |x|)}. */
    public static final double STEP = 1e-5;

    /** One coordinate that failed. */
    public record Mismatch(String name, int index, double analytic, double numeric, double bound) {
        @Override
        public String toString() {
            return name + "[" + index + "]: analytic " + analytic + ", numeric " + numeric + " (allowed "
                    + bound + ")";
        }
    }

    /** The outcome of a check. */
    public record Report(int checked, double worstError, List<Mismatch> mismatches) {
        public boolean passed() {
            return mismatches.isEmpty();
        }

        /** A summary naming the first few mismatches. */
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(checked + " coordinates checked, " + mismatches.size()
                    + " mismatches, worst |analytic - numeric| = " + worstError);
            mismatches.stream().limit(10).forEach(m -> s.append("\n  ").append(m));
            return s.toString();
        }
    }

    /**
     * A named block of coordinates: {@code point[offset .. offset + length)} is parameter {@code name}, so
     * that a mismatch says which tensor it is in.
     */
    public record Block(String name, int offset, int length) {
    }

    private GradientChecker() {
    }

    /** Numeric gradient of {@code f} at {@code point} (the point is restored afterwards). */
    public static double[] numericGradient(ToDoubleFunction<double[]> f, double[] point) {
        double[] grad = new double[point.length];
        for (int i = 0; i < point.length; i++) {
            double saved = point[i];
            double eps = STEP * Math.max(1, Math.abs(saved));
            point[i] = saved + eps;
            double plus = f.applyAsDouble(point);
            point[i] = saved - eps;
            double minus = f.applyAsDouble(point);
            point[i] = saved;
            grad[i] = (plus - minus) / (2 * eps);
        }
        return grad;
    }

    /**
     * Numeric gradient of {@code f} at {@code point} by the five-point stencil
     * {@code (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h} with {@code h = step·max(1, |x|)}: truncation error
     * O(h⁴), so a step near 1e-2 suits functions computed in float, whose rounding would swamp the tiny steps
     * double-precision functions allow. The point is restored afterwards.
     */
    public static double[] numericGradient(ToDoubleFunction<double[]> f, double[] point, double step) {
        if (!(step > 0)) {
            throw new IllegalArgumentException("step must be > 0, found " + step);
        }
        double[] grad = new double[point.length];
        for (int i = 0; i < point.length; i++) {
            double saved = point[i];
            double h = step * Math.max(1, Math.abs(saved));
            double[] values = new double[4];
            double[] offsets = {2 * h, h, -h, -2 * h};
            for (int k = 0; k < 4; k++) {
                point[i] = saved + offsets[k];
                values[k] = f.applyAsDouble(point);
            }
            point[i] = saved;
            grad[i] = (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * h);
        }
        return grad;
    }

    /** Compares {@code analytic} with the numeric gradient of {@code f} using the float tolerances. */
    public static Report check(ToDoubleFunction<double[]> f, double[] point, double[] analytic, List<Block> blocks) {
        return compare(analytic, numericGradient(f, point), blocks, FLOAT_RELATIVE, FLOAT_ABSOLUTE);
    }

    /** Compares two gradients coordinate by coordinate with the given tolerances. */
    public static Report compare(double[] analytic, double[] numeric, List<Block> blocks, double relative,
                                 double absolute) {
        if (analytic.length != numeric.length) {
            throw new IllegalArgumentException("analytic gradient has " + analytic.length
                    + " coordinates, numeric has " + numeric.length);
        }
        double scale = 1;
        for (double v : numeric) {
            scale = Math.max(scale, Math.abs(v));
        }
        List<Mismatch> mismatches = new ArrayList<>();
        double worst = 0;
        for (int i = 0; i < numeric.length; i++) {
            double error = Math.abs(analytic[i] - numeric[i]);
            double bound = relative * Math.abs(numeric[i]) + absolute * scale;
            worst = Math.max(worst, error);
            if (!(error <= bound)) {
                mismatches.add(locate(blocks, i, analytic[i], numeric[i], bound));
            }
        }
        return new Report(numeric.length, worst, List.copyOf(mismatches));
    }

    /** Throws an {@link AssertionError} describing the mismatches unless the report passed. */
    public static void assertPassed(String what, Report report) {
        if (!report.passed()) {
            throw new AssertionError("gradient check failed for " + what + ": " + report);
        }
    }

    private static Mismatch locate(List<Block> blocks, int i, double analytic, double numeric, double bound) {
        for (Block b : blocks) {
            if (i >= b.offset() && i < b.offset() + b.length()) {
                return new Mismatch(b.name(), i - b.offset(), analytic, numeric, bound);
            }
        }
        return new Mismatch("point", i, analytic, numeric, bound);
    }
}
