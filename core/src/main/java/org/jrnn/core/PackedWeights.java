package org.jrnn.core;

import org.jrnn.spi.MatrixOps;

/**
 * One weight matrix of a recurrent layer ({@code [G*H][depth]} in the parameters) packed by the backend
 * ({@link MatrixOps#pack}) for the products {@code a·Wᵀ} of one pass: for every slice of hidden units that a
 * member of the layer's team computes, and every gate block, the rows of that block's units as packed
 * {@code [depth][units]} matrices, one per part of at most {@link #partUnits} units (see {@link #products} for
 * why parts). A forward pass packs the weights once and multiplies them at every step; a packing is reused while
 * the parameter values it was made from ({@link Parameters#version()}) and the slices stay the same. The layer
 * decides which packing a call multiplies; the buffer is reused while the layout stays the same.
 * <p>
 * The {@linkplain #columns columns form} packs a member's columns of W_hh ({@code [G*H][H]}) instead, as
 * {@code [G*H][units]} matrices, for the backward pass's products {@code dh = dGates·W_hh}: one block, in
 * parts the same way.
 */
final class PackedWeights {
    /** Products of fewer rows than this alternate the order of the parts (see {@link #products}). */
    static final int ALTERNATING_ROWS = 4;
    /** About how many weights a part holds by default: 2¹⁷ floats, 512 KB, half of L2 here. */
    static final int PART_WEIGHTS = 1 << 17;
    /** Parts of this many units are whole gate blocks. */
    static final int WHOLE_BLOCKS = Integer.MAX_VALUE;
    /** Parts hold a multiple of this many units by default (a whole number of the SIMD backend's panels). */
    static final int PART_UNIT_MULTIPLE = 64;
    private final MatrixOps matrix;
    private final int hidden;
    private final int blocks;
    private final int depth;
    /** Whether a member's columns of a {@code [depth][hidden]} matrix are packed (one block) rather than rows. */
    private final boolean columns;
    /** The most units of one gate block that one packed part holds. */
    private int partUnits;
    private float[] data = new float[0];
    /** The slices of the current layout ({@code null} before the first). */
    private int[] slices;
    /**
     * The offset of every part: member m's part q of block k at {@code offsets[first[m] + k·parts[m] + q]}, where
     * {@code parts[m]} is how many parts each of the member's blocks has.
     */
    private int[] offsets;
    private int[] first;
    private int[] parts;
    /**
     * Per member of the layout, at {@code m·FLAG_STRIDE}, whether its next short product takes the parts last
     * to first: one cache line per member, so that members on different cores do not write the same line.
     */
    private boolean[] reversed;
    private static final int FLAG_STRIDE = 64;
    /** The parameter version the whole packing was made from; -1 while it is not complete or not made. */
    private long version = -1;

    PackedWeights(MatrixOps matrix, int hidden, int blocks, int depth) {
        this(matrix, hidden, blocks, depth, defaultPartUnits(depth));
    }

    /** With parts of at most {@code partUnits} units of a block (at least 1). */
    PackedWeights(MatrixOps matrix, int hidden, int blocks, int depth, int partUnits) {
        this(matrix, hidden, blocks, depth, false, partUnits);
    }

    private PackedWeights(MatrixOps matrix, int hidden, int blocks, int depth, boolean columns, int partUnits) {
        this.matrix = matrix;
        this.hidden = hidden;
        this.blocks = blocks;
        this.depth = depth;
        this.columns = columns;
        partUnits(partUnits);
    }

    /**
     * The columns form: each member's columns of a {@code [depth][hidden]} matrix (W_hh, depth G·H) packed as
     * {@code [depth][units]} matrices, multiplied by {@link #columnProducts}.
     */
    static PackedWeights columns(MatrixOps matrix, int hidden, int depth) {
        return new PackedWeights(matrix, hidden, 1, depth, true, defaultPartUnits(depth));
    }

    /**
     * Packs parts of at most {@code units} units of a block from now on (tests use small parts); the next
     * {@link #current} lays the buffer out anew.
     */
    void partUnits(int units) {
        if (units < 1) {
            throw new IllegalArgumentException("parts must hold at least 1 unit, got " + units);
        }
        partUnits = units;
        slices = null;
        version = -1;
    }

    /**
     * Units per part for rows of {@code depth} weights: as many whole multiples of {@value #PART_UNIT_MULTIPLE}
     * as keep a part within {@value #PART_WEIGHTS} weights, and at least one multiple (depth 1024: 128 units,
     * 512 KB; depth 512: 256).
     */
    static int defaultPartUnits(int depth) {
        int units = PART_WEIGHTS / Math.max(1, depth) / PART_UNIT_MULTIPLE * PART_UNIT_MULTIPLE;
        return Math.max(PART_UNIT_MULTIPLE, units);
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

    /**
     * Packs every member's rows (columns) of the matrix at {@code wOff} in {@code w} on the calling thread, for
     * the slices {@code sliceStart}, unless the packing is {@linkplain #current current} for them and the values
     * at {@code valuesVersion}.
     */
    void ensurePacked(int[] sliceStart, long valuesVersion, float[] w, int wOff) {
        if (!current(sliceStart, valuesVersion)) {
            for (int m = 0; m + 1 < sliceStart.length; m++) {
                pack(m, w, wOff);
            }
            packed(valuesVersion);
        }
    }

    private void layout(int[] sliceStart) {
        int members = sliceStart.length - 1;
        int[] start = new int[members + 1];
        int[] count = new int[members];
        for (int m = 0; m < members; m++) {
            count[m] = Math.ceilDiv(sliceStart[m + 1] - sliceStart[m], partUnits);
            start[m + 1] = start[m] + blocks * count[m];
        }
        int[] at = new int[start[members] + 1];
        for (int m = 0; m < members; m++) {
            int s = sliceStart[m + 1] - sliceStart[m];
            for (int k = 0; k < blocks; k++) {
                for (int q = 0; q < count[m]; q++) {
                    int i = start[m] + k * count[m] + q;
                    at[i + 1] = Math.addExact(at[i], matrix.packedSize(depth, Math.min(partUnits, s - q * partUnits)));
                }
            }
        }
        if (data.length < at[start[members]]) {
            data = new float[at[start[members]]];
        }
        slices = sliceStart;
        offsets = at;
        first = start;
        parts = count;
        reversed = new boolean[members * FLAG_STRIDE];
        version = -1;
    }

    /**
     * Packs member {@code m}'s rows (columns, in the columns form) of the matrix at {@code wOff} in {@code w}
     * (members may run in parallel).
     */
    void pack(int m, float[] w, int wOff) {
        int j0 = slices[m];
        int s = slices[m + 1] - j0;
        for (int k = 0; k < blocks; k++) {
            for (int q = 0; q < parts[m]; q++) {
                int u0 = q * partUnits;
                int units = Math.min(partUnits, s - u0);
                int at = offsets[first[m] + k * parts[m] + q];
                if (columns) {
                    matrix.pack(false, depth, units, w, wOff + j0 + u0, hidden, data, at);
                } else {
                    matrix.pack(true, depth, units, w, wOff + (k * hidden + j0 + u0) * depth, depth, data, at);
                }
            }
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
     * {@code k} ({@code [rows][units]}) into the columns at {@code cOff + k·units}; see {@link #products}.
     */
    void addProducts(int m, int count, int rows, float[] a, int aOff, int lda, float[] c, int cOff, int ldc) {
        products(m, count, rows, a, aOff, lda, null, 0, c, cOff, ldc);
    }

    /**
     * {@link #addProducts} when {@code bias} is null; otherwise {@code c = bias + a·W_blockᵀ}, onto the bias
     * ({@code [G*H]} from {@code biasOff}: block k's units at {@code biasOff + k·H + j0}) instead of what c held,
     * which is not read ({@link MatrixOps#gemmPackedBias}). One product per part, each into its own columns.
     * <p>
     * A member's successive products of fewer than {@value #ALTERNATING_ROWS} rows take the parts in opposite
     * orders, so that a call starts with the part that the previous one read last, which is still in L2. In the
     * same order every time, a call would start with the lines longest out of use, the first evicted when the
     * matrix is larger than the cache. That is why a block is packed in parts of about half of L2: with whole
     * blocks reversed, only blocks that fit in L2 were still there (W_hh at H = 256, 1 MB), and from H = 512 on
     * the next call started with the beginning of a block evicted long before. Batch-1 recurrent products alone
     * (harness, successive steps' products; medians of 12 rounds on AMD Zen 5): H = 1024 on two threads (8 MB
     * each) 71.5 µs per step against 94.3 with whole blocks reversed, H = 768 38.2 against 48.0, H = 512 15.9
     * against 19.9, and H = 512 on one thread 33.4 against 35.1. Each part writes its own columns, and on jrnn's
     * backends each element is the same product whatever part it is in, so neither the order nor the parts
     * change a result. Streaming steps multiply W_ih between two products of W_hh (and the other way round), so
     * nothing of either survives in L2 for the next call, and their packings keep whole blocks
     * ({@link #WHOLE_BLOCKS}), alternating as before: what the order can gain there is L3's (the two matrices
     * are 8-32 MB at H = 512-1024), and whole blocks, parts alternating and parts in one order measured within
     * this machine's noise of each other on those steps (JMH, 0.76-1.10x either way).
     * <p>
     * Longer products are bound by arithmetic, not by reading the matrix, and keep one order: the threads of a
     * pass split by rows share member 0's packing, and they read it in the same order, so that a line one of
     * them brings into L3 serves the other too (in opposite orders, the 2-thread batch-64 forward pass at
     * H = 1024 took 7070–7730 µs per step against 6170–6870 in one harness run). By default a row split gives
     * every thread at least 16 rows ({@code RecurrentLayer.MINIMUM_ROWS}), so its threads never write that shared
     * flag; a test that splits single rows may, and then only the order varies, never a result.
     */
    void products(int m, int count, int rows, float[] a, int aOff, int lda, float[] bias, int biasOff, float[] c,
                  int cOff, int ldc) {
        multiply(m, count, rows, a, aOff, lda, bias, biasOff, 1f, c, cOff, ldc);
    }

    /**
     * The columns form's product for member {@code m}: {@code c = a·W[:, units] + beta·c} ({@code a [rows][depth]},
     * c's columns from {@code cOff}), part by part, alternating the order of the parts as {@link #products} does.
     */
    void columnProducts(int m, int rows, float[] a, int aOff, int lda, float beta, float[] c, int cOff, int ldc) {
        multiply(m, 1, rows, a, aOff, lda, null, 0, beta, c, cOff, ldc);
    }

    private void multiply(int m, int count, int rows, float[] a, int aOff, int lda, float[] bias, int biasOff,
                          float beta, float[] c, int cOff, int ldc) {
        int j0 = slices[m];
        int s = slices[m + 1] - j0;
        int per = parts[m];
        int total = count * per;
        boolean backwards = false;
        if (rows < ALTERNATING_ROWS) {
            backwards = reversed[m * FLAG_STRIDE];
            reversed[m * FLAG_STRIDE] = !backwards;
        }
        for (int i = 0; i < total; i++) {
            int part = backwards ? total - 1 - i : i;
            int k = part / per;
            int u0 = (part - k * per) * partUnits;
            int units = Math.min(partUnits, s - u0);
            int at = offsets[first[m] + part];
            if (bias == null) {
                matrix.gemmPacked(false, rows, units, depth, 1f, a, aOff, lda, data, at, beta, c, cOff + k * s + u0,
                        ldc);
            } else {
                matrix.gemmPackedBias(false, rows, units, depth, 1f, a, aOff, lda, data, at, bias,
                        biasOff + k * hidden + j0 + u0, c, cOff + k * s + u0, ldc);
            }
        }
    }
}
