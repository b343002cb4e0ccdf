package org.jrnn.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Turning examples into {@link Batch}es: padding variable-length sequences with per-sequence lengths, bucketing
 * by length so that little work goes into padding, and cutting a long token stream into consecutive chunks for
 * truncated backpropagation through time.
 */
public final class Batching {
    private Batching() {
    }

    /**
     * Groups example indices into batches of at most {@code batchSize} whose lengths are close: indices are
     * shuffled (seeded), sorted by length (so equal lengths come in random order), cut into consecutive groups,
     * and the groups shuffled. Each group then pads only to its own longest sequence.
     *
     * @param lengths the length of every example, each {@code >= 1}
     */
    public static List<int[]> buckets(int[] lengths, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("buckets: batch size must be >= 1, found " + batchSize);
        }
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 1) {
                throw new IllegalArgumentException("buckets: example " + i + " is empty (length " + lengths[i]
                        + "); every sequence needs at least one step");
            }
        }
        Random random = new Random(seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, random);
        order.sort(Comparator.comparingInt(i -> lengths[i]));
        List<int[]> groups = new ArrayList<>();
        for (int start = 0; start < order.size(); start += batchSize) {
            groups.add(order.subList(start, Math.min(order.size(), start + batchSize)).stream()
                    .mapToInt(Integer::intValue).toArray());
        }
        java.util.Collections.shuffle(groups, random);
        return groups;
    }

    /**
     * The token sequences {@code sequences[indices[k]]} as one batch padded to the longest (padding ids are 0
     * and never read), with their lengths.
     *
     * @throws IllegalArgumentException if a sequence is empty
     */
    public static Batch tokens(List<int[]> sequences, int[] indices) {
        int time = 1;
        int[] lengths = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int[] s = sequences.get(indices[k]);
            if (s.length == 0) {
                throw new IllegalArgumentException("batch: sequence " + indices[k] + " is empty; every sequence "
                        + "needs at least one step");
            }
            lengths[k] = s.length;
            time = Math.max(time, s.length);
        }
        int[] tokens = new int[indices.length * time];
        for (int k = 0; k < indices.length; k++) {
            int[] s = sequences.get(indices[k]);
            System.arraycopy(s, 0, tokens, k * time, s.length);
        }
        return Batch.ofTokens(indices.length, time, tokens, lengths);
    }

    /** Per-step targets {@code tags[indices[k]]}, padded like {@link #tokens} to {@code batch.time()}. */
    public static int[] tags(List<int[]> tags, int[] indices, Batch batch) {
        int time = batch.time();
        int[] out = new int[indices.length * time];
        Arrays.fill(out, SoftmaxCrossEntropy.IGNORE);
        for (int k = 0; k < indices.length; k++) {
            int[] t = tags.get(indices[k]);
            if (t.length != batch.length(k)) {
                throw new IllegalArgumentException("batch: example " + indices[k] + " has " + batch.length(k)
                        + " steps but " + t.length + " tags");
            }
            System.arraycopy(t, 0, out, k * time, t.length);
        }
        return out;
    }

    /** Per-sequence labels {@code labels[indices[k]]}. */
    public static int[] labels(int[] labels, int[] indices) {
        int[] out = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            out[k] = labels[indices[k]];
        }
        return out;
    }

    /** The fraction of padded (wasted) steps in {@code batches}. */
    public static double paddingFraction(List<Batch> batches) {
        long total = 0;
        long valid = 0;
        for (Batch b : batches) {
            total += (long) b.size() * b.time();
            valid += b.validSteps();
        }
        return total == 0 ? 0 : 1 - (double) valid / total;
    }

    /**
     * Next-token batches over a long stream, for truncated BPTT with state carried between chunks: the stream is
     * cut into {@code streams} contiguous parts, and batch {@code i} holds chunk {@code i} of every part (row
     * {@code b} continues row {@code b} of batch {@code i − 1}), with targets the tokens one step ahead.
     * Tokens that do not fill a whole chunk at the end are dropped.
     *
     * @throws IllegalArgumentException if the stream is too short for one chunk per stream
     */
    public static List<Batch> streams(int[] tokens, int streams, int chunk) {
        if (streams < 1 || chunk < 1) {
            throw new IllegalArgumentException("streams: need streams >= 1 and chunk >= 1, found streams=" + streams
                    + " chunk=" + chunk);
        }
        int part = (tokens.length - 1) / streams;
        int chunks = part / chunk;
        if (chunks < 1) {
            throw new IllegalArgumentException("streams: " + tokens.length + " tokens are too few for " + streams
                    + " streams of at least one chunk of " + chunk + " steps plus one target (need "
                    + ((long) streams * chunk + 1) + ")");
        }
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            int[] in = new int[streams * chunk];
            int[] out = new int[streams * chunk];
            for (int b = 0; b < streams; b++) {
                int from = b * part + i * chunk;
                System.arraycopy(tokens, from, in, b * chunk, chunk);
                System.arraycopy(tokens, from + 1, out, b * chunk, chunk);
            }
            batches.add(Batch.ofTokens(streams, chunk, in, null).withClasses(out));
        }
        return batches;
    }
}
