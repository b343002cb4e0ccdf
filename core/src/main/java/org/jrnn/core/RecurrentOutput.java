package org.jrnn.core;

/**
 * The results of {@link RecurrentLayer#forward}. The arrays belong to the layer and are overwritten by its
 * next forward pass; copy them to keep them.
 *
 * @param output {@code [batch][time][hidden]} for {@link OutputMode#SEQUENCE}, {@code [batch][hidden]} for
 *               {@link OutputMode#LAST}
 * @param hN     {@code [batch][hidden]} the hidden state at each sequence's last valid step
 * @param cN     {@code [batch][hidden]} the LSTM cell state likewise; null for other cells
 */
public record RecurrentOutput(float[] output, float[] hN, float[] cN) {
}
