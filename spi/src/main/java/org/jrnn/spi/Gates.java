package org.jrnn.spi;

/**
 * The fused element-wise part of one time step of each recurrent cell, forward and backward. The matrix
 * products (input projection, recurrent product) are done by the caller with {@link MatrixOps}; a gate
 * step reads their sums once and writes every value once.
 *
 * <p>Shapes are per time step: {@code B = batch} rows, {@code H = hidden} units, gate blocks in the order of
 * {@link Layout} ({@code G·H} columns for {@code G} blocks). Every matrix argument is an
 * {@code (array, offset, leading dimension)} triple; the leading dimension is at least the row width.
 * Gradients named {@code d…} are with respect to the named forward value; "pre" means the value before
 * the gate's nonlinearity.
 *
 * <p><b>Accuracy.</b> Each output may differ from the same formula evaluated exactly on the same float
 * inputs by at most {@code (3·TRANSCENDENTAL_ULPS + 8)·u·(1 + |exact|)} ({@code u = 2⁻²⁴}; at most three
 * transcendentals and eight roundings lie on any path through a gate step). Backward forms use the cached
 * forward outputs: σ' = y(1−y), tanh' = 1−y².
 */
public interface Gates {

    /**
     * LSTM step forward. With pre-activations {@code a = x·W_ihᵀ + b_ih + h_{t-1}·W_hhᵀ + b_hh}:
     * <pre>
     *   i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
     *   c = f·cPrev + i·g        tanhC = tanh(c)        h = o·tanhC
     * </pre>
     *
     * @param gates [B][4H] in: pre-activations; out: the activations i, f, g, o (kept for backward)
     * @param cPrev [B][H] read: c_{t-1}
     * @param c     [B][H] written: c_t; may alias {@code cPrev}
     * @param tanhC [B][H] written: tanh(c_t) (kept for backward)
     * @param h     [B][H] written: h_t
     */
    void lstmForward(int batch, int hidden,
                     float[] gates, int gatesOff, int ldGates,
                     float[] cPrev, int cPrevOff, int ldcPrev,
                     float[] c, int cOff, int ldc,
                     float[] tanhC, int tanhCOff, int ldTanhC,
                     float[] h, int hOff, int ldh);

    /**
     * LSTM step backward, the twin of {@link #lstmForward}:
     * <pre>
     *   dcTotal = dc + dh·o·(1 − tanhC²)
     *   dPre_i = dcTotal·g·i(1−i)       dPre_f = dcTotal·cPrev·f(1−f)
     *   dPre_g = dcTotal·i·(1−g²)       dPre_o = dh·tanhC·o(1−o)
     *   dcPrev = dcTotal·f
     * </pre>
     *
     * @param gates  [B][4H] read: activations from the forward step
     * @param cPrev  [B][H] read: c_{t-1}
     * @param tanhC  [B][H] read: tanh(c_t)
     * @param dh     [B][H] read: total gradient with respect to h_t
     * @param dc     [B][H] read: gradient with respect to c_t arriving from step t+1
     * @param dGates [B][4H] written: gradient with respect to the pre-activations
     * @param dcPrev [B][H] written: gradient with respect to c_{t-1}; may alias {@code dc}
     */
    void lstmBackward(int batch, int hidden,
                      float[] gates, int gatesOff, int ldGates,
                      float[] cPrev, int cPrevOff, int ldcPrev,
                      float[] tanhC, int tanhCOff, int ldTanhC,
                      float[] dh, int dhOff, int lddh,
                      float[] dc, int dcOff, int lddc,
                      float[] dGates, int dGatesOff, int lddGates,
                      float[] dcPrev, int dcPrevOff, int lddcPrev);

    /**
     * GRU step forward, PyTorch's linear-before-reset form (the reset gate multiplies the recurrent
     * product, bias included). With {@code xg = x·W_ihᵀ + b_ih} and {@code hg = h_{t-1}·W_hhᵀ + b_hh}:
     * <pre>
     *   r = σ(xg_r + hg_r)   z = σ(xg_z + hg_z)   n = tanh(xg_n + r·hg_n)
     *   h = (1 − z)·n + z·hPrev
     * </pre>
     *
     * @param gates [B][3H] in: xg; out: the activations r, z, n
     * @param hg    [B][3H] read: hg (its n block is read again by backward)
     * @param hPrev [B][H] read: h_{t-1}
     * @param h     [B][H] written: h_t; may alias {@code hPrev}
     */
    void gruForward(int batch, int hidden,
                    float[] gates, int gatesOff, int ldGates,
                    float[] hg, int hgOff, int ldhg,
                    float[] hPrev, int hPrevOff, int ldhPrev,
                    float[] h, int hOff, int ldh);

    /**
     * GRU step backward for the linear-before-reset form, the twin of {@link #gruForward}:
     * <pre>
     *   dPre_n = dh·(1−z)·(1−n²)
     *   dPre_z = dh·(hPrev − n)·z(1−z)
     *   dPre_r = dPre_n·hg_n·r(1−r)
     *   dGates = [dPre_r, dPre_z, dPre_n]          (gradient of xg)
     *   dHg    = [dPre_r, dPre_z, dPre_n·r]        (gradient of hg)
     *   dhPrev = dh·z                              (the part not through W_hh; the caller adds dHg·W_hh)
     * </pre>
     *
     * @param gates  [B][3H] read: r, z, n from the forward step
     * @param hg     [B][3H] read: the recurrent product of the forward step (its n block)
     * @param hPrev  [B][H] read
     * @param dh     [B][H] read: total gradient with respect to h_t
     * @param dGates [B][3H] written
     * @param dHg    [B][3H] written
     * @param dhPrev [B][H] written; may alias {@code dh}
     */
    void gruBackward(int batch, int hidden,
                     float[] gates, int gatesOff, int ldGates,
                     float[] hg, int hgOff, int ldhg,
                     float[] hPrev, int hPrevOff, int ldhPrev,
                     float[] dh, int dhOff, int lddh,
                     float[] dGates, int dGatesOff, int lddGates,
                     float[] dHg, int dHgOff, int lddHg,
                     float[] dhPrev, int dhPrevOff, int lddhPrev);

    /**
     * First half of a GRU step in the original form (Cho et al. 2014; Keras {@code reset_after=False}), where
     * the reset gate multiplies {@code h_{t-1}} before the recurrent product of the candidate:
     * <pre>
     *   r = σ(xg_r + hg_r)   z = σ(xg_z + hg_z)   rh = r·hPrev
     * </pre>
     * The caller then computes {@code hn = rh·W_hnᵀ + b_hn} and calls {@link #gruCandidateForward}.
     *
     * @param gates [B][3H] in: xg in the r and z blocks; out: r and z activated (the n block is untouched)
     * @param hg    [B][3H] read: the r and z blocks of {@code h_{t-1}·W_hhᵀ + b_hh} (the n block is not read)
     * @param hPrev [B][H] read
     * @param rh    [B][H] written: r·hPrev
     */
    void gruResetForward(int batch, int hidden,
                         float[] gates, int gatesOff, int ldGates,
                         float[] hg, int hgOff, int ldhg,
                         float[] hPrev, int hPrevOff, int ldhPrev,
                         float[] rh, int rhOff, int ldrh);

    /**
     * Second half of a GRU step in the original form:
     * <pre>
     *   n = tanh(xg_n + hn)      h = (1 − z)·n + z·hPrev
     * </pre>
     *
     * @param gates [B][3H] in: z activated, xg in the n block; out: n activated in the n block
     * @param hn    [B][H] read: {@code (r·hPrev)·W_hnᵀ + b_hn}
     * @param hPrev [B][H] read
     * @param h     [B][H] written; may alias {@code hPrev}
     */
    void gruCandidateForward(int batch, int hidden,
                             float[] gates, int gatesOff, int ldGates,
                             float[] hn, int hnOff, int ldhn,
                             float[] hPrev, int hPrevOff, int ldhPrev,
                             float[] h, int hOff, int ldh);

    /**
     * Backward of {@link #gruCandidateForward}:
     * <pre>
     *   dPre_n = dh·(1−z)·(1−n²)      dPre_z = dh·(hPrev − n)·z(1−z)      dhPrev = dh·z
     * </pre>
     * {@code dPre_n} is the gradient of both {@code xg_n} and {@code hn}. The caller then computes
     * {@code dRh = dPre_n·W_hn} and calls {@link #gruResetBackward}.
     *
     * @param gates  [B][3H] read: z and n
     * @param hPrev  [B][H] read
     * @param dh     [B][H] read: total gradient with respect to h_t
     * @param dGates [B][3H] written: the z and n blocks (the r block is untouched)
     * @param dhPrev [B][H] written; may alias {@code dh}
     */
    void gruCandidateBackward(int batch, int hidden,
                              float[] gates, int gatesOff, int ldGates,
                              float[] hPrev, int hPrevOff, int ldhPrev,
                              float[] dh, int dhOff, int lddh,
                              float[] dGates, int dGatesOff, int lddGates,
                              float[] dhPrev, int dhPrevOff, int lddhPrev);

    /**
     * Backward of {@link #gruResetForward}:
     * <pre>
     *   dPre_r = dRh·hPrev·r(1−r)      dhPrev += dRh·r
     * </pre>
     *
     * @param gates  [B][3H] read: r
     * @param hPrev  [B][H] read
     * @param dRh    [B][H] read: gradient with respect to {@code rh}
     * @param dGates [B][3H] written: the r block (the z and n blocks are untouched)
     * @param dhPrev [B][H] accumulated
     */
    void gruResetBackward(int batch, int hidden,
                          float[] gates, int gatesOff, int ldGates,
                          float[] hPrev, int hPrevOff, int ldhPrev,
                          float[] dRh, int dRhOff, int lddRh,
                          float[] dGates, int dGatesOff, int lddGates,
                          float[] dhPrev, int dhPrevOff, int lddhPrev);

    /**
     * Simple RNN step forward: {@code h = act(pre)} with
     * {@code pre = x·W_ihᵀ + b_ih + h_{t-1}·W_hhᵀ + b_hh}.
     *
     * @param pre [B][H] read
     * @param h   [B][H] written; may alias {@code pre}
     */
    void rnnForward(RnnActivation activation, int batch, int hidden,
                    float[] pre, int preOff, int ldPre,
                    float[] h, int hOff, int ldh);

    /**
     * Simple RNN step backward: {@code dPre = dh·act'(h)}, from the output {@code h}.
     *
     * @param h    [B][H] read: the forward output
     * @param dh   [B][H] read: total gradient with respect to h_t
     * @param dPre [B][H] written; may alias {@code dh}
     */
    void rnnBackward(RnnActivation activation, int batch, int hidden,
                     float[] h, int hOff, int ldh,
                     float[] dh, int dhOff, int lddh,
                     float[] dPre, int dPreOff, int lddPre);
}
