package org.jrnn.tck;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A test matrix: {@code rows × cols} at an offset with a leading dimension inside a larger array whose other
 * elements hold a guard value, so that writes outside the matrix are detected.
 */
public final class Mat {
    /** The guard value held outside the matrix. */
    public static final float GUARD = 987.25f;

    public final float[] a;
    public final int off;
    public final int ld;
    public final int rows;
    public final int cols;

    private Mat(float[] a, int off, int ld, int rows, int cols) {
        this.a = a;
        this.off = off;
        this.ld = ld;
        this.rows = rows;
        this.cols = cols;
    }

    /** A matrix of values uniform in {@code [-scale, scale)}, placed at {@code off} with {@code pad} extra columns. */
    public static Mat random(SplittableRandom random, int rows, int cols, int off, int pad, double scale) {
        int ld = Math.max(1, cols + pad);
        return new Mat(Generators.matrix(random, rows, cols, off, ld, scale, GUARD), off, ld, rows, cols);
    }

    /** A matrix of values uniform in {@code [lo, hi)}. */
    public static Mat uniform(SplittableRandom random, int rows, int cols, int off, int pad, double lo, double hi) {
        Mat m = random(random, rows, cols, off, pad, 1);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m.set(r, c, (float) (lo + (hi - lo) * random.nextDouble()));
            }
        }
        return m;
    }

    /** A matrix whose every element is NaN, for outputs that must be written without being read. */
    public static Mat nan(int rows, int cols, int off, int pad) {
        int ld = Math.max(1, cols + pad);
        float[] a = new float[off + Math.max(0, rows - 1) * ld + cols + 3];
        Arrays.fill(a, GUARD);
        Mat m = new Mat(a, off, ld, rows, cols);
        for (int r = 0; r < rows; r++) {
            Arrays.fill(a, off + r * ld, off + r * ld + cols, Float.NaN);
        }
        return m;
    }

    public float get(int r, int c) {
        return a[off + r * ld + c];
    }

    public void set(int r, int c, float v) {
        a[off + r * ld + c] = v;
    }

    /** A deep copy (same offset and leading dimension). */
    public Mat copy() {
        return new Mat(a.clone(), off, ld, rows, cols);
    }

    /** Returns the name of the first element outside the matrix that no longer holds the guard, or null. */
    public String strayWrite() {
        boolean[] inside = new boolean[a.length];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(inside, off + r * ld, off + r * ld + cols, true);
        }
        for (int i = 0; i < a.length; i++) {
            if (!inside[i] && Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(GUARD)) {
                return "index " + i + " (outside the matrix) holds " + a[i];
            }
        }
        return null;
    }
}
