package org.jrnn.core;

import java.util.SplittableRandom;

/**
 * The adding problem (Hochreiter and Schmidhuber 1997), the classic test of long-range memory: every step
 * carries a value drawn uniformly from [0, 1) and a marker; exactly two steps are marked, one in each half of
 * the sequence, and the target is the sum of their two values. A model that ignores the inputs and predicts
 * the mean (1) scores the variance of the sum, {@value #BASELINE_MSE} — the baseline a model must beat to show
 * that it carries information across the sequence.
 */
public final class AddingProblem {
    /** Mean squared error of always predicting 1: the variance of the sum of two U(0, 1) values, 1/6. */
    public static final double BASELINE_MSE = 1.0 / 6;
    /** Features per step: the value and the marker. */
    public static final int FEATURES = 2;

    private AddingProblem() {
    }

    /**
     * A batch of {@code size} sequences of length {@code time} (at least 2) with one target per sequence.
     *
     * @param random the seeded source of values and marker positions
     */
    public static Batch batch(SplittableRandom random, int size, int time) {
        if (size < 1 || time < 2) {
            throw new IllegalArgumentException("adding problem: needs size >= 1 and time >= 2, found size=" + size
                    + " time=" + time);
        }
        float[] x = new float[size * time * FEATURES];
        float[] y = new float[size];
        for (int b = 0; b < size; b++) {
            int first = random.nextInt(time / 2);
            int second = time / 2 + random.nextInt(time - time / 2);
            for (int t = 0; t < time; t++) {
                float v = (float) random.nextDouble();
                x[(b * time + t) * FEATURES] = v;
                if (t == first || t == second) {
                    x[(b * time + t) * FEATURES + 1] = 1f;
                    y[b] += v;
                }
            }
        }
        return Batch.ofInputs(size, time, x, null).withValues(y);
    }
}
