package org.jrnn.core;

import java.util.List;

/**
 * One stage of a {@link SequenceModel} between the embedding and the output layer: it maps
 * {@code [batch][time][inputSize]} with per-sequence lengths either to {@code [batch][time][outputSize]}
 * (zero past each length) or, when {@link #lastOnly()}, to {@code [batch][outputSize]}. Returned arrays belong
 * to the layer and are overwritten by its next call.
 */
public interface SequenceLayer {
    int inputSize();

    int outputSize();

    /** Whether the output is one vector per sequence rather than one per step. */
    boolean lastOnly();

    /**
     * @param training whether this pass is for training (dropout on) or inference (off)
     */
    float[] forward(float[] x, int batch, int time, int[] lengths, boolean training);

    /**
     * The output of {@link #forward forward(x, batch, time, lengths, false)} for inference, which no
     * {@link #backward} follows: a layer may then keep less of the pass (recurrent layers reuse one step's gate
     * rows; see {@link RecurrentLayer#infer}). By default, that forward.
     */
    default float[] infer(float[] x, int batch, int time, int[] lengths) {
        return forward(x, batch, time, lengths, false);
    }

    /** Adds parameter gradients for the gradient of the last output and returns the gradient of its input. */
    float[] backward(float[] dOutput);

    /** The parameter sets, in a fixed order (empty for a layer without parameters). */
    List<Parameters> parameters();

    /** The recurrent layers inside: one, two for a bidirectional stage (forward first), none for others. */
    default List<RecurrentLayer> recurrentLayers() {
        return List.of();
    }
}
