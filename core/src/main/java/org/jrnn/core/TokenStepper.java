package org.jrnn.core;

/**
 * A model run one token at a time over several independent streams, as generation needs: the language model's
 * {@link SequenceModel.Stepper} and the decoder of an {@link EncoderDecoder}.
 */
public interface TokenStepper {
    /** Number of streams. */
    int streams();

    /**
     * Feeds one token per stream and returns the log-probabilities of the next token,
     * {@code [streams][vocabulary]} (owned by the stepper, overwritten by the next call).
     */
    float[] step(int[] tokens);

    /** Stream {@code s} takes the state stream {@code source[s]} had (used to follow beams). */
    void reorder(int[] source);
}
