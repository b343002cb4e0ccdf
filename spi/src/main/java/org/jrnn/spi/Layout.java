package org.jrnn.spi;

/**
 * The memory layout and gate order that every backend and every layer share. It is stated here once;
 * importers convert other orders on load, and no cell code permutes gates.
 *
 * <h2>Tensors</h2>
 * A tensor is a {@code float[]} plus an offset and, for matrices, a leading dimension, row-major as in
 * BLAS: element {@code (r, c)} of a matrix stored at {@code (a, aOff, lda)} is {@code a[aOff + r * lda + c]},
 * and {@code lda >= cols}. A matrix with zero rows or columns touches no element. Vectors are contiguous.
 *
 * <h2>Gate order (PyTorch's)</h2>
 * <ul>
 *   <li>LSTM: {@code i, f, g, o} (input, forget, cell candidate, output) — {@link #LSTM_GATES} blocks;</li>
 *   <li>GRU: {@code r, z, n} (reset, update, candidate) — {@link #GRU_GATES} blocks;</li>
 *   <li>simple RNN: a single block.</li>
 * </ul>
 * A gate row of one batch element holds the blocks back to back, each {@code hidden} wide: the LSTM forget
 * gate of hidden unit {@code j} is column {@code hidden + j}.
 *
 * <h2>Weights of a recurrent layer</h2>
 * The shapes of PyTorch's {@code nn.LSTM / nn.GRU / nn.RNN} parameters, with {@code G} gate blocks and
 * {@code H} hidden units:
 * <pre>
 *   weightIh [G*H][inputSize]   row-major; the rows of gate block k are [k*H, (k+1)*H)
 *   weightHh [G*H][H]
 *   biasIh   [G*H]
 *   biasHh   [G*H]
 * </pre>
 * The input projection of a batch is therefore {@code x · weightIhᵀ} (a GEMM with {@code transB}).
 *
 * <h2>Sequences</h2>
 * Batch-major {@code [batch][time][features]}, with optional per-sequence lengths.
 */
public final class Layout {
    /** Number of gate blocks of an LSTM: i, f, g, o. */
    public static final int LSTM_GATES = 4;
    /** Number of gate blocks of a GRU: r, z, n. */
    public static final int GRU_GATES = 3;
    /** Number of gate blocks of a simple RNN. */
    public static final int RNN_GATES = 1;

    /** Block index of the LSTM input gate. */
    public static final int LSTM_I = 0;
    /** Block index of the LSTM forget gate. */
    public static final int LSTM_F = 1;
    /** Block index of the LSTM cell candidate. */
    public static final int LSTM_G = 2;
    /** Block index of the LSTM output gate. */
    public static final int LSTM_O = 3;

    /** Block index of the GRU reset gate. */
    public static final int GRU_R = 0;
    /** Block index of the GRU update gate. */
    public static final int GRU_Z = 1;
    /** Block index of the GRU candidate. */
    public static final int GRU_N = 2;

    private Layout() {
    }
}
