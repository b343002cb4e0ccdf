package org.jrnn.core;

import java.util.List;
import java.util.Objects;

import org.jrnn.spi.Backend;

/**
 * Two recurrent layers of the same cell over a sequence, one in each direction (Schuster and Paliwal 1997),
 * their outputs merged. The backward direction reads each sequence from its own last valid step to its first,
 * so padding never enters it. With {@link OutputMode#LAST} the merged output is the forward direction's state
 * after the last valid step and the backward direction's state after step 0 (Keras's convention).
 */
public final class Bidirectional implements SequenceLayer {

    /** How the two directions' outputs are combined. */
    public enum Merge {
        /** {@code [forward, backward]} side by side: 2·hidden features. */
        CONCAT,
        SUM,
        AVERAGE,
        /** Element-wise product. */
        MULTIPLY
    }

    private final Backend backend;
    private final Cell cell;
    private final Merge merge;
    private final RecurrentLayer forward;
    private final RecurrentLayer backward;
    private final int hidden;
    private int batch;
    private int time;
    private int[] lengths;
    private float[] fwdOut;
    private float[] bwdOut;
    private float[] reversed;
    private float[] merged;
    private float[] dFwd;
    private float[] dBwd;
    private float[] dInput;

    public Bidirectional(Backend backend, Cell cell, int inputSize, int hidden, OutputMode mode, Merge merge) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.cell = Objects.requireNonNull(cell, "cell");
        this.merge = Objects.requireNonNull(merge, "merge");
        this.forward = cell.create(backend, inputSize, hidden, mode);
        this.backward = cell.create(backend, inputSize, hidden, mode);
        this.hidden = hidden;
    }

    public Cell cell() {
        return cell;
    }

    public Merge merge() {
        return merge;
    }

    /** The forward-direction layer. */
    public RecurrentLayer forwardLayer() {
        return forward;
    }

    /** The backward-direction layer (PyTorch's {@code _reverse} parameters). */
    public RecurrentLayer backwardLayer() {
        return backward;
    }

    @Override
    public int inputSize() {
        return forward.inputSize();
    }

    @Override
    public int outputSize() {
        return merge == Merge.CONCAT ? 2 * hidden : hidden;
    }

    @Override
    public boolean lastOnly() {
        return forward.outputMode() == OutputMode.LAST;
    }

    @Override
    public float[] forward(float[] x, int batch, int time, int[] lengths, boolean training) {
        return run(x, batch, time, lengths, training, true);
    }

    @Override
    public float[] infer(float[] x, int batch, int time, int[] lengths) {
        return run(x, batch, time, lengths, false, false);
    }

    private float[] run(float[] x, int batch, int time, int[] lengths, boolean training, boolean keep) {
        Sequences.checkLengths("bidirectional", lengths, batch, time);
        Objects.requireNonNull(x, "x");
        if (x.length != (long) batch * time * inputSize()) {
            throw new IllegalArgumentException("bidirectional: x must be [batch=" + batch + "][time=" + time + "]["
                    + inputSize() + "] = " + ((long) batch * time * inputSize()) + " values, found " + x.length);
        }
        this.batch = batch;
        this.time = time;
        this.lengths = lengths == null ? null : lengths.clone();
        int steps = lastOnly() ? 1 : time;
        int rows = batch * steps;
        if (merged == null || merged.length != rows * outputSize() || reversed.length != x.length) {
            reversed = new float[x.length];
            merged = new float[rows * outputSize()];
            bwdOut = new float[rows * hidden];
            dFwd = new float[rows * hidden];
            dBwd = new float[rows * hidden];
            dInput = new float[x.length];
        }
        fwdOut = pass(forward.training(training), x, keep);
        Sequences.reverse(x, reversed, batch, time, inputSize(), lengths);
        float[] out = pass(backward.training(training), reversed, keep);
        if (lastOnly()) {
            System.arraycopy(out, 0, bwdOut, 0, out.length);
        } else {
            Sequences.reverse(out, bwdOut, batch, time, hidden, lengths);
        }
        mergeOutputs(rows);
        return merged;
    }

    /** One direction's output over the current batch: a forward that keeps its caches, or an inference pass. */
    private float[] pass(RecurrentLayer direction, float[] in, boolean keep) {
        RecurrentOutput out = keep ? direction.forward(in, batch, time, lengths, null, null)
                : direction.infer(in, batch, time, lengths, null, null);
        return out.output();
    }

    private void mergeOutputs(int rows) {
        if (merge == Merge.CONCAT) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(fwdOut, r * hidden, merged, 2 * r * hidden, hidden);
                System.arraycopy(bwdOut, r * hidden, merged, (2 * r + 1) * hidden, hidden);
            }
            return;
        }
        int n = rows * hidden;
        System.arraycopy(bwdOut, 0, merged, 0, n);
        switch (merge) {
            case SUM -> backend.vectors().axpy(n, 1f, fwdOut, 0, merged, 0);
            case AVERAGE -> {
                backend.vectors().axpy(n, 1f, fwdOut, 0, merged, 0);
                backend.vectors().scale(n, 0.5f, merged, 0);
            }
            case MULTIPLY -> backend.vectors().multiply(n, fwdOut, 0, merged, 0);
            default -> throw new AssertionError(merge);
        }
    }

    @Override
    public float[] backward(float[] dOutput) {
        if (fwdOut == null) {
            throw new IllegalStateException("bidirectional: backward called before forward");
        }
        if (dOutput.length != merged.length) {
            throw new IllegalArgumentException("bidirectional: dOutput must have " + merged.length
                    + " values, found " + dOutput.length);
        }
        int rows = merged.length / outputSize();
        int n = rows * hidden;
        switch (merge) {
            case CONCAT -> {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(dOutput, 2 * r * hidden, dFwd, r * hidden, hidden);
                    System.arraycopy(dOutput, (2 * r + 1) * hidden, dBwd, r * hidden, hidden);
                }
            }
            case SUM, AVERAGE -> {
                System.arraycopy(dOutput, 0, dFwd, 0, n);
                if (merge == Merge.AVERAGE) {
                    backend.vectors().scale(n, 0.5f, dFwd, 0);
                }
                System.arraycopy(dFwd, 0, dBwd, 0, n);
            }
            case MULTIPLY -> {
                System.arraycopy(dOutput, 0, dFwd, 0, n);
                backend.vectors().multiply(n, bwdOut, 0, dFwd, 0);
                System.arraycopy(dOutput, 0, dBwd, 0, n);
                backend.vectors().multiply(n, fwdOut, 0, dBwd, 0);
            }
            default -> throw new AssertionError(merge);
        }
        float[] dxF = forward.backward(dFwd, null, null).dInput();
        System.arraycopy(dxF, 0, dInput, 0, dInput.length);
        float[] dBwdInLayerOrder = dBwd;
        if (!lastOnly()) {
            // the backward layer saw reversed sequences: reverse its output gradient into its step order
            Sequences.reverse(dBwd, dFwd, batch, time, hidden, lengths);
            dBwdInLayerOrder = dFwd;
        }
        float[] dxB = backward.backward(dBwdInLayerOrder, null, null).dInput();
        Sequences.reverse(dxB, reversed, batch, time, inputSize(), lengths);
        backend.vectors().axpy(dInput.length, 1f, reversed, 0, dInput, 0);
        return dInput;
    }

    @Override
    public List<Parameters> parameters() {
        return List.of(forward.parameters(), backward.parameters());
    }

    @Override
    public List<RecurrentLayer> recurrentLayers() {
        return List.of(forward, backward);
    }
}
