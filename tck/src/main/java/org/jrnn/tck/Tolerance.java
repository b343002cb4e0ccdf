package org.jrnn.tck;

/**
 * Error bounds used by the contracts. Each is derived from the operation count of the primitive's formula,
 * with {@code u = 2⁻²⁴} the unit roundoff of float, and scales with the magnitudes involved — never a
 * constant tuned until green.
 */
public final class Tolerance {
    /** Unit roundoff of float, {@code 2⁻²⁴}. */
    public static final double U = 0x1p-24;
    /** Unit roundoff of double, {@code 2⁻⁵³}. */
    public static final double U_DOUBLE = 0x1p-53;
    /** Absolute slack for results that underflow: the smallest normal float. */
    public static final double TINY = Float.MIN_NORMAL;

    private Tolerance() {
    }


    /** True when {@code |actual - exact| <= bound}, treating NaN as a failure. */
    public static boolean within(float actual, double exact, double bound) {
        return Math.abs(actual - exact) <= bound;
    }
}
