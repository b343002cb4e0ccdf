package org.jrnn.core;

import java.util.Arrays;
import java.util.List;

/**
 * Recurrent layers run one streaming step at a time over {@code streams} independent sequences whose states it
 * keeps: the engine shared by {@link SequenceModel.Stepper} and the decoder of an {@link EncoderDecoder}. Layer
 * {@code k + 1} reads the new hidden state of layer {@code k}.
 */
final class RecurrentStack {
    private final List<RecurrentLayer> layers;
    private final int streams;
    private float[][] h;
    private float[][] c;
    /** Scratch of the same shapes, swapped in by {@link #reorder}. */
    private float[][] spareH;
    private float[][] spareC;

    /** Zero states for every stream. */
    RecurrentStack(List<RecurrentLayer> layers, int streams) {
        if (streams < 1) {
            throw new IllegalArgumentException("stepper: streams must be >= 1, found " + streams);
        }
        this.layers = List.copyOf(layers);
        this.streams = streams;
        h = states(false);
        c = states(true);
        spareH = states(false);
        spareC = states(true);
    }

    private float[][] states(boolean cell) {
        float[][] s = new float[layers.size()][];
        for (int k = 0; k < s.length; k++) {
            RecurrentLayer l = layers.get(k);
            s[k] = !cell || l.hasCellState() ? new float[streams * l.hiddenSize()] : null;
        }
        return s;
    }

    int streams() {
        return streams;
    }

    /** Sets every stream of layer {@code k} to the single-stream states {@code h1} (and {@code c1}, or null). */
    void fill(int k, float[] h1, float[] c1) {
        for (int s = 0; s < streams; s++) {
            System.arraycopy(h1, 0, h[k], s * h1.length, h1.length);
            if (c[k] != null) {
                System.arraycopy(c1, 0, c[k], s * c1.length, c1.length);
            }
        }
    }

    /** One step on {@code x [streams][inputSize]}; returns the top layer's new hidden states (live). */
    float[] step(float[] x) {
        float[] current = x;
        for (int k = 0; k < layers.size(); k++) {
            layers.get(k).step(streams, current, h[k], c[k]);
            current = h[k];
        }
        return current;
    }

    /** Stream {@code s} takes the states stream {@code source[s]} had. */
    void reorder(int[] source) {
        for (int k = 0; k < layers.size(); k++) {
            Sequences.gatherRows(h[k], source, streams, spareH[k]);
            if (c[k] != null) {
                Sequences.gatherRows(c[k], source, streams, spareC[k]);
            }
        }
        float[][] t = h;
        h = spareH;
        spareH = t;
        t = c;
        c = spareC;
        spareC = t;
    }

    void reset() {
        for (int k = 0; k < layers.size(); k++) {
            Arrays.fill(h[k], 0f);
            if (c[k] != null) {
                Arrays.fill(c[k], 0f);
            }
        }
    }

    float[] hidden(int k) {
        return h[k];
    }

    float[] cell(int k) {
        return c[k];
    }
}
