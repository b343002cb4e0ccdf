package org.jrnn.core;

import java.util.List;
import java.util.Objects;

import org.jrnn.spi.Backend;

/**
 * A {@link RecurrentLayer} as a stage of a {@link SequenceModel}, with the states a model passes in and out:
 * initial states for the next forward (TBPTT carries them between chunks, an encoder hands them to a decoder),
 * the final states of the last forward, and gradients flowing the other way.
 */
public final class Recurrent implements SequenceLayer {
    private final Cell cell;
    private final RecurrentLayer layer;
    private float[] h0;
    private float[] c0;
    private float[] dhN;
    private float[] dcN;
    private RecurrentOutput out;
    private RecurrentGradients gradients;

    public Recurrent(Backend backend, Cell cell, int inputSize, int hidden, OutputMode mode) {
        this.cell = Objects.requireNonNull(cell, "cell");
        this.layer = cell.create(backend, inputSize, hidden, mode);
    }

    public Cell cell() {
        return cell;
    }

    /** The layer itself, for its options (threads, finiteness checks) and its parameters. */
    public RecurrentLayer layer() {
        return layer;
    }

    @Override
    public int inputSize() {
        return layer.inputSize();
    }

    @Override
    public int outputSize() {
        return layer.hiddenSize();
    }

    @Override
    public boolean lastOnly() {
        return layer.outputMode() == OutputMode.LAST;
    }

    /**
     * The initial states of the following forward passes ({@code [batch][hidden]} each; null for zeros; c0
     * only for the LSTM). Kept by reference until replaced.
     */
    public void initialState(float[] h0, float[] c0) {
        if (c0 != null && !cell.hasCellState()) {
            throw new IllegalArgumentException(cell + " has no cell state; c0 must be null");
        }
        this.h0 = h0;
        this.c0 = c0;
    }

    /**
     * Gradients of the loss with respect to the final states, added by the next {@link #backward} (null for
     * zero). Cleared by each forward.
     */
    public void finalStateGradient(float[] dhN, float[] dcN) {
        this.dhN = dhN;
        this.dcN = dcN;
    }

    @Override
    public float[] forward(float[] x, int batch, int time, int[] lengths, boolean training) {
        return keepPass(layer.training(training).forward(x, batch, time, lengths, h0, c0));
    }

    @Override
    public float[] infer(float[] x, int batch, int time, int[] lengths) {
        return keepPass(layer.infer(x, batch, time, lengths, h0, c0));
    }

    /** Keeps {@code pass} as the last pass, drops what the previous backward left, and returns its output. */
    private float[] keepPass(RecurrentOutput pass) {
        out = pass;
        dhN = null;
        dcN = null;
        gradients = null;
        return out.output();
    }

    /** The final hidden states of the last forward, {@code [batch][hidden]} (layer-owned). */
    public float[] finalHidden() {
        return requireForward().hN();
    }

    /** The final cell states of the last forward (LSTM), else null. */
    public float[] finalCell() {
        return requireForward().cN();
    }

    private RecurrentOutput requireForward() {
        if (out == null) {
            throw new IllegalStateException(layer.parameters().owner() + ": no forward pass yet");
        }
        return out;
    }

    @Override
    public float[] backward(float[] dOutput) {
        gradients = layer.backward(dOutput, dhN, dcN);
        return gradients.dInput();
    }

    /** Gradients of the initial states from the last backward ({@code dh0}, {@code dc0} or null). */
    public RecurrentGradients gradients() {
        if (gradients == null) {
            throw new IllegalStateException(layer.parameters().owner() + ": no backward pass yet");
        }
        return gradients;
    }

    @Override
    public List<Parameters> parameters() {
        return List.of(layer.parameters());
    }

    @Override
    public List<RecurrentLayer> recurrentLayers() {
        return List.of(layer);
    }
}
