package org.jrnn.spi;

/**
 * Argument checks for backends, done once at the entry of a primitive. They throw before anything is
 * written, with a message that names the argument, what was expected and what was found.
 */
public final class Checks {
    private Checks() {
    }

    /** Requires {@code value >= 0}. */
    public static void size(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, found " + value);
        }
    }

    /** Requires {@code value >= 1}. */
    public static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, found " + value);
        }
    }

    /** Requires {@code a[off .. off + n)} to exist (nothing is required when {@code n == 0}). */
    public static void vector(String name, float[] a, int off, int n) {
        if (n == 0) {
            return;
        }
        if (a == null) {
            throw new NullPointerException(name + " is null but " + n + " elements are addressed");
        }
        if (off < 0 || (long) off + n > a.length) {
            throw new IndexOutOfBoundsException(name + ": elements [" + off + ", " + ((long) off + n)
                    + ") addressed but the array has length " + a.length);
        }
    }

    /**
     * Requires {@code ld >= cols} and, when the matrix is not empty, every element
     * {@code a[off + r*ld + c]} ({@code r < rows}, {@code c < cols}) to exist.
     */
    public static void matrix(String name, float[] a, int off, int rows, int cols, int ld) {
        if (ld < cols || ld < 1) {
            throw new IllegalArgumentException(name + ": leading dimension must be >= max(1, cols = " + cols
                    + "), found " + ld);
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        if (a == null) {
            throw new NullPointerException(name + " is null but a [" + rows + "][" + cols + "] matrix is addressed");
        }
        long end = off + (long) (rows - 1) * ld + cols;
        if (off < 0 || end > a.length) {
            throw new IndexOutOfBoundsException(name + ": a [" + rows + "][" + cols + "] matrix with leading dimension "
                    + ld + " at offset " + off + " needs elements [" + off + ", " + end
                    + ") but the array has length " + a.length);
        }
    }
}
