package org.jrnn.core;

/** Checks and index helpers shared by the sequence layers. */
final class Sequences {
    private Sequences() {
    }

    /** Lengths, when given, have one entry per sequence in {@code [1, time]}. */
    static void checkLengths(String who, int[] lengths, int batch, int time) {
        if (lengths == null) {
            return;
        }
        if (lengths.length != batch) {
            throw new IllegalArgumentException(who + ": lengths must have one entry per sequence (" + batch
                    + "), found " + lengths.length);
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 1 || lengths[b] > time) {
                throw new IllegalArgumentException(who + ": lengths[" + b + "] must be in [1, " + time + "], found "
                        + lengths[b]);
            }
        }
    }

    static int length(int[] lengths, int b, int time) {
        return lengths == null ? time : lengths[b];
    }

    /**
     * Copies {@code [batch][time][width]} into {@code dst} with each sequence's first {@code length} steps in
     * reverse order and zeros after them. {@code src} and {@code dst} must differ.
     */
    static void reverse(float[] src, float[] dst, int batch, int time, int width, int[] lengths) {
        for (int b = 0; b < batch; b++) {
            int length = length(lengths, b, time);
            int base = b * time * width;
            for (int t = 0; t < length; t++) {
                System.arraycopy(src, base + (length - 1 - t) * width, dst, base + t * width, width);
            }
            java.util.Arrays.fill(dst, base + length * width, base + time * width, 0f);
        }
    }

    /**
     * Writes into {@code dst} the {@code [streams][width]} rows of {@code state} that {@code source} names: row
     * {@code s} of {@code dst} is row {@code source[s]} of {@code state} (how a stepper follows beams).
     */
    static void gatherRows(float[] state, int[] source, int streams, float[] dst) {
        if (source.length != streams) {
            throw new IllegalArgumentException("reorder needs one source per stream (" + streams + "), found "
                    + source.length);
        }
        int width = state.length / streams;
        for (int s = 0; s < streams; s++) {
            if (source[s] < 0 || source[s] >= streams) {
                throw new IllegalArgumentException("reorder: source stream must be in [0, " + streams + "), found "
                        + source[s]);
            }
            System.arraycopy(state, source[s] * width, dst, s * width, width);
        }
    }
}
