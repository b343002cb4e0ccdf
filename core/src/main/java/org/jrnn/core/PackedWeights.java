package org.jrnn.core;

import org.jrnn.spi.MatrixOps;

/**
 * One weight matrix of a recurrent layer ({@code [G*H][depth]} in the parameters) packed by the backend
 * ({@link MatrixOps#pack}) for the products {@code a·Wᵀ} of one pass: for every slice of hidden units that a
 * member of the layer's team computes, and every gate block, the rows of that block's units as a packed
 * {@code [depth][units]} matrix. A forward pass packs the weights once and multiplies them at every step;
 * a packing is reused while the parameter values it was made from ({@link Parameters#version()}) and the
 * slices stay the same. The layer decides which packing a call multiplies; the buffer is reused while the
 * layout stays the same.
 */
final class PackedWeights {
    /** Products of fewer rows than this alternate the order of the blocks (see {@link #addProducts}). */
    static final int ALTERNATING_ROWS = 4;
    private final MatrixOps matrix;
    private final int hidden;
    private final int blocks;
    private final int depth;
    private float[] data = new float[0];
    /** The slices of the current layout ({@code null} before the first), and the offset of each block. */
    private int[] slices;
    private int[] offsets;
    /**
     * Per member of the layout, at {@code m·FLAG_STRIDE}, whether its next {@link #addProducts} takes the blocks
     * last to first: one cache line per member, so that members on different cores do not write the same line.
     */
    private boolean[] reversed;
    private static final int FLAG_STRIDE = 64;
    /** The parameter version the whole packing was made from; -1 while it is not complete or not made. */
    private long version = -1;

    PackedWeights(MatrixOps matrix, int hidden, int blocks, int depth) {
        this.matrix = matrix;
        this.hidden = hidden;
        this.blocks = blocks;
        this.depth = depth;
    }

    /**
     * Whether the buffer holds a complete packing, for members owning units {@code [slices[m], slices[m+1])},
     * of the parameter values at {@code valuesVersion}; lays the buffer out for those slices first when they
     * changed (then it holds nothing until every member has {@linkplain #pack packed} and {@link #packed} is
     * called).
     */
    boolean current(int[] sliceStart, long valuesVersion) {
        if (slices != sliceStart) {
            layout(sliceStart);
        }
        return version == valuesVersion;
    }

    /** Records that every member has packed the values at {@code valuesVersion}. */
    void packed(long valuesVersion) {
        version = valuesVersion;
    }

    private void layout(int[] sliceStart) {
        int members = sliceStart.length - 1;
        int[] at = new int[members * blocks + 1];
        for (int m = 0; m < members; m++) {
            int size = matrix.packedSize(depth, sliceStart[m + 1] - sliceStart[m]);
            for (int k = 0; k < blocks; k++) {
                at[m * blocks + k + 1] = Math.addExact(at[m * blocks + k], size);
            }
        }
        if (data.length < at[members * blocks]) {
            data = new float[at[members * blocks]];
        }
        slices = sliceStart;
        offsets = at;
        reversed = new boolean[members * FLAG_STRIDE];
        version = -1;
    }

    /** Packs member {@code m}'s rows of the matrix at {@code wOff} in {@code w} (members may run in parallel). */
    void pack(int m, float[] w, int wOff) {
        int j0 = slices[m];
        int s = slices[m + 1] - j0;
        for (int k = 0; k < blocks; k++) {
            matrix.pack(true, depth, s, w, wOff + (k * hidden + j0) * depth, depth, data, offsets[m * blocks + k]);
        }
    }

    /** The member whose slice is exactly units {@code [j0, j1)}, or -1 (the caller multiplies the weights). */
    int member(int j0, int j1) {
        for (int m = 0; m + 1 < slices.length; m++) {
            if (slices[m] == j0 && slices[m + 1] == j1) {
                return m;
            }
        }
        return -1;
    }

    /**
     * {@code c += a·W_blockᵀ} for member {@code m}'s units of the first {@code count} gate blocks: block
     * {@code k} ({@code [rows][units]}) into the columns at {@code cOff + k·units}.
     * <p>
     * A member's successive products of fewer than {@value #ALTERNATING_ROWS} rows take the blocks in opposite
     * orders, so that a call starts with the block that the previous one read last, which is still in cache. In
     * the same order every time, a call would start with the lines longest out of use, the first evicted when the
     * matrix is about the size of the cache (W_hh at H = 256 is 1 MB, as large as L2 here). A batch-1 inference
     * pass at H = 256 ran 4–6 % faster per step. Each block writes its own columns, so the order changes no result.
     * Longer products are bound by arithmetic, not by reading the matrix, and keep one order: the threads of a
     * pass split by rows share member 0's packing, and they read it in the same order, so that a line one of
     * them brings into L3 serves the other too (in opposite orders, the 2-thread batch-64 forward pass at
     * H = 1024 took 7070–7730 µs per step against 6170–6870 in one harness run). By default a row split gives
     * every thread at least 16 rows ({@code RecurrentLayer.MINIMUM_ROWS}), so its threads never write that shared
     * flag; a test that splits single rows may, and then only the order varies, never a result.
     */
    void addProducts(int m, int count, int rows, float[] a, int aOff, int lda, float[] c, int cOff, int ldc) {
        products(m, count, rows, a, aOff, lda, null, 0, c, cOff, ldc);
    }

    /**
     * {@link #addProducts} when {@code bias} is null; otherwise {@code c = bias + a·W_blockᵀ}, onto the bias
     * ({@code [G*H]} from {@code biasOff}: block k's units at {@code biasOff + k·H + j0}) instead of what c held,
     * which is not read ({@link MatrixOps#gemmPackedBias}).
     */
    void products(int m, int count, int rows, float[] a, int aOff, int lda, float[] bias, int biasOff, float[] c,
                  int cOff, int ldc) {
        int j0 = slices[m];
        int s = slices[m + 1] - j0;
        boolean backwards = false;
        if (rows < ALTERNATING_ROWS) {
            backwards = reversed[m * FLAG_STRIDE];
            reversed[m * FLAG_STRIDE] = !backwards;
        }
        for (int i = 0; i < count; i++) {
            int k = backwards ? count - 1 - i : i;
            int at = offsets[m * blocks + k];
            if (bias == null) {
                matrix.gemmPacked(false, rows, s, depth, 1f, a, aOff, lda, data, at, 1f, c, cOff + k * s, ldc);
            } else {
                matrix.gemmPackedBias(false, rows, s, depth, 1f, a, aOff, lda, data, at, bias,
                        biasOff + k * hidden + j0, c, cOff + k * s, ldc);
            }
        }
    }
}
