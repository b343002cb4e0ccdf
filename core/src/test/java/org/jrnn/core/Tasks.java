package org.jrnn.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Synthetic tasks for learning tests, seeded. */
final class Tasks {
    private Tasks() {
    }

    /**
     * The adding problem (Hochreiter and Schmidhuber 1997): each step has a value in [0, 1) and a marker; two
     * steps are marked, one in each half, and the target is the sum of their values. Predicting the mean (1)
     * scores the variance of the sum, 1/6 ≈ 0.167.
     */
    static Batch adding(SplittableRandom r, int size, int time) {
        float[] x = new float[size * time * 2];
        float[] y = new float[size];
        for (int b = 0; b < size; b++) {
            int first = r.nextInt(time / 2);
            int second = time / 2 + r.nextInt(time - time / 2);
            for (int t = 0; t < time; t++) {
                float v = (float) r.nextDouble();
                x[(b * time + t) * 2] = v;
                if (t == first || t == second) {
                    x[(b * time + t) * 2 + 1] = 1f;
                    y[b] += v;
                }
            }
        }
        return Batch.ofInputs(size, time, x, null).withValues(y);
    }

    /** Token sequences of lengths in [min, max] over symbols [0, symbols). */
    static List<int[]> sequences(SplittableRandom r, int count, int symbols, int min, int max) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] s = new int[min + r.nextInt(max - min + 1)];
            for (int t = 0; t < s.length; t++) {
                s[t] = r.nextInt(symbols);
            }
            out.add(s);
        }
        return out;
    }
}
