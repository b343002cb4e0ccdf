package org.jrnn.core;

import java.util.Objects;

/**
 * A batch of sequences with optional targets, batch-major and padded to a common length {@code time}.
 *
 * <p>Inputs are either token ids {@code [size][time]} (for a model that starts with an {@link Embedding}) or
 * features {@code [size][time][inputSize]}. Targets are either class ids or real values, one per sequence
 * ({@code [size]} or {@code [size][outputs]}, for a model whose last recurrent stage returns only its last
 * step) or one per step ({@code [size][time]} or {@code [size][time][outputs]}). Per-sequence lengths, when
 * given, mark the valid steps; values past a sequence's length are never read.
 *
 * @param size    number of sequences, {@code >= 1}
 * @param time    padded length, {@code >= 1}
 * @param lengths lengths in {@code [1, time]}, or null for all {@code time}
 * @param tokens  token inputs, or null
 * @param inputs  feature inputs, or null (exactly one of tokens and inputs is given)
 * @param classes class-id targets, or null
 * @param values  real-valued targets, or null (at most one of classes and values)
 */
public record Batch(int size, int time, int[] lengths, int[] tokens, float[] inputs, int[] classes, float[] values) {

    public Batch {
        if (size < 1 || time < 1) {
            throw new IllegalArgumentException("batch: size and time must be >= 1, found size=" + size + " time="
                    + time);
        }
        if ((tokens == null) == (inputs == null)) {
            throw new IllegalArgumentException("batch: give exactly one of tokens and inputs");
        }
        if (classes != null && values != null) {
            throw new IllegalArgumentException("batch: give at most one of class targets and value targets");
        }
        if (tokens != null && tokens.length != (long) size * time) {
            throw new IllegalArgumentException("batch: tokens must be [size=" + size + "][time=" + time + "] = "
                    + ((long) size * time) + " ids, found " + tokens.length);
        }
        Sequences.checkLengths("batch", lengths, size, time);
    }

    /** Token sequences without targets (for inference). */
    public static Batch ofTokens(int size, int time, int[] tokens, int[] lengths) {
        return new Batch(size, time, lengths, tokens, null, null, null);
    }

    /** Feature sequences without targets (for inference). */
    public static Batch ofInputs(int size, int time, float[] inputs, int[] lengths) {
        return new Batch(size, time, lengths, null, inputs, null, null);
    }

    /** This batch with class-id targets. */
    public Batch withClasses(int[] classes) {
        return new Batch(size, time, lengths, tokens, inputs, Objects.requireNonNull(classes, "classes"), null);
    }

    /** This batch with real-valued targets. */
    public Batch withValues(float[] values) {
        return new Batch(size, time, lengths, tokens, inputs, null, Objects.requireNonNull(values, "values"));
    }

    /** The length of sequence {@code b}. */
    public int length(int b) {
        return lengths == null ? time : lengths[b];
    }

    /** Number of valid steps over all sequences. */
    public long validSteps() {
        if (lengths == null) {
            return (long) size * time;
        }
        long n = 0;
        for (int length : lengths) {
            n += length;
        }
        return n;
    }
}
