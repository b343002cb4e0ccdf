package org.jrnn.core;

/**
 * The input gradients {@link RecurrentLayer#backward} returns. The arrays belong to the layer and are
 * overwritten by its next backward pass.
 *
 * @param dInput {@code [batch][time][inputSize]}; zero at steps past a sequence's length
 * @param dh0    {@code [batch][hidden]} gradient with respect to the initial hidden state
 * @param dc0    {@code [batch][hidden]} gradient with respect to the initial cell state (LSTM); else null
 */
public record RecurrentGradients(float[] dInput, float[] dh0, float[] dc0) {
}
