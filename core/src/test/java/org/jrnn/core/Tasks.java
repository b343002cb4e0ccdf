package org.jrnn.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Synthetic tasks for learning tests, seeded. */
final class Tasks {
    private Tasks() {
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
