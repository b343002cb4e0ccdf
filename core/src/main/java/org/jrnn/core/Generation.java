package org.jrnn.core;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Generating token sequences from a model run step by step: sampling with temperature and top-k, greedy
 * decoding, and beam search. Sampling is seeded, so the same seed gives the same text.
 */
public final class Generation {
    private Generation() {
    }

    /** A generated sequence and its log-probability under the model (natural log, the sum over its tokens). */
    public record Sequence(int[] tokens, double logProbability) {
    }

    /** How the next token is chosen from its distribution. */
    public record Sampling(float temperature, int topK, long seed) {
        /**
         * @param temperature divides the log-probabilities before sampling: below 1 sharper, above 1 flatter;
         *                    0 means greedy (always the most likely token)
         * @param topK        sample among the k most likely tokens only; 0 for all
         */
        public Sampling {
            if (!(temperature >= 0) || !Float.isFinite(temperature)) {
                throw new IllegalArgumentException("temperature must be finite and >= 0, found " + temperature);
            }
            if (topK < 0) {
                throw new IllegalArgumentException("top-k must be >= 0 (0 for all tokens), found " + topK);
            }
        }

        /** Always the most likely token. */
        public static Sampling greedy() {
            return new Sampling(0f, 0, 0L);
        }
    }

    /**
     * Continues {@code prime} by {@code length} tokens from a language model (a token model whose output layer
     * predicts the next token over the same vocabulary).
     *
     * @return the generated tokens (not including the prime) and their log-probability under the model
     */
    public static Sequence generate(SequenceModel model, int[] prime, int length, Sampling sampling) {
        TokenStepper stepper = languageModelStepper(model, 1);
        float[] logProbs = feed(stepper, prime);
        return continueSequence(stepper, logProbs, length, sampling);
    }

    /**
     * Samples {@code length} tokens from a stepper whose first prediction is {@code logProbs} (one stream):
     * feeds each chosen token back.
     */
    public static Sequence continueSequence(TokenStepper stepper, float[] logProbs, int length, Sampling sampling) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, found " + length);
        }
        Objects.requireNonNull(sampling, "sampling");
        SplittableRandom random = new SplittableRandom(sampling.seed());
        int[] out = new int[length];
        int[] next = new int[1];
        double total = 0;
        float[] current = logProbs;
        for (int i = 0; i < length; i++) {
            int token = choose(current, 0, current.length / stepper.streams(), sampling, random);
            out[i] = token;
            total += current[token];
            next[0] = token;
            if (i + 1 < length) {
                current = stepper.step(next);
            }
        }
        return new Sequence(out, total);
    }

    /** Feeds {@code prime} (at least one token) to a one-stream stepper; returns the prediction after it. */
    static float[] feed(TokenStepper stepper, int[] prime) {
        if (prime == null || prime.length == 0) {
            throw new IllegalArgumentException("generation needs a prime of at least one token");
        }
        float[] logProbs = null;
        int[] one = new int[stepper.streams()];
        for (int token : prime) {
            Arrays.fill(one, token);
            logProbs = stepper.step(one);
        }
        return logProbs;
    }

    static TokenStepper languageModelStepper(SequenceModel model, int streams) {
        if (model.embedding() == null || !model.output().classifier()
                || model.output().outputSize() != model.embedding().vocabularySize()) {
            throw new IllegalArgumentException("generation needs a language model: token inputs and a classifier "
                    + "over the same vocabulary, found " + model.spec());
        }
        return model.stepper(streams);
    }

    /** The index of a token drawn from row {@code row} of {@code logProbs} ({@code [rows][classes]}). */
    static int choose(float[] logProbs, int row, int classes, Sampling sampling, SplittableRandom random) {
        int base = row * classes;
        if (sampling.temperature() == 0f) {
            int best = 0;
            for (int i = 1; i < classes; i++) {
                if (logProbs[base + i] > logProbs[base + best]) {
                    best = i;
                }
            }
            return best;
        }
        if (sampling.topK() == 0 || sampling.topK() >= classes) {
            // every class: p ∝ exp((logp − max) / T), drawn without allocating
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < classes; i++) {
                max = Math.max(max, logProbs[base + i]);
            }
            double sum = 0;
            for (int i = 0; i < classes; i++) {
                sum += Math.exp((logProbs[base + i] - max) / sampling.temperature());
            }
            double u = random.nextDouble() * sum;
            for (int i = 0; i < classes; i++) {
                u -= Math.exp((logProbs[base + i] - max) / sampling.temperature());
                if (u < 0) {
                    return i;
                }
            }
            return classes - 1;
        }
        // the k most likely, descending (ties keep the lower id), by insertion into a list of k
        int k = sampling.topK();
        int[] ids = new int[k];
        int kept = 0;
        for (int i = 0; i < classes; i++) {
            float v = logProbs[base + i];
            if (kept == k && !(v > logProbs[base + ids[k - 1]])) {
                continue;
            }
            int at = kept < k ? kept++ : k - 1;
            while (at > 0 && v > logProbs[base + ids[at - 1]]) {
                ids[at] = ids[at - 1];
                at--;
            }
            ids[at] = i;
        }
        double max = logProbs[base + ids[0]];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += Math.exp((logProbs[base + ids[i]] - max) / sampling.temperature());
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < k; i++) {
            u -= Math.exp((logProbs[base + ids[i]] - max) / sampling.temperature());
            if (u < 0) {
                return ids[i];
            }
        }
        return ids[k - 1];
    }

    /**
     * Beam search over a language model: continues {@code prime} by up to {@code length} tokens keeping the
     * {@code width} most likely partial sequences; a sequence that emits {@code end} (if {@code end >= 0}) is
     * finished. Returns the most likely sequence found (sum of log-probabilities, no length normalization).
     */
    public static Sequence beamSearch(SequenceModel model, int[] prime, int length, int width, int end) {
        TokenStepper stepper = languageModelStepper(model, width);
        return beamSearch(stepper, feed(stepper, prime), length, end);
    }

    /**
     * Beam search on a stepper with {@code width} streams, all in the same state, whose prediction for every
     * stream is {@code logProbs}.
     */
    public static Sequence beamSearch(TokenStepper stepper, float[] logProbs, int length, int end) {
        int width = stepper.streams();
        int classes = logProbs.length / width;
        if (length < 1) {
            throw new IllegalArgumentException("beam search: length must be >= 1, found " + length);
        }
        int[][] tokens = new int[width][length];
        int[] lengths = new int[width];
        double[] scores = new double[width];
        boolean[] done = new boolean[width];
        // at the start every beam is the same: only beam 0 expands
        Arrays.fill(scores, Double.NEGATIVE_INFINITY);
        scores[0] = 0;
        float[] current = logProbs;
        for (int step = 0; step < length; step++) {
            double[] bestScore = new double[width];
            int[] bestBeam = new int[width];
            int[] bestToken = new int[width];
            Arrays.fill(bestScore, Double.NEGATIVE_INFINITY);
            Arrays.fill(bestBeam, -1);
            for (int b = 0; b < width; b++) {
                if (scores[b] == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                if (done[b]) {
                    insert(bestScore, bestBeam, bestToken, scores[b], b, -1);
                    continue;
                }
                for (int c = 0; c < classes; c++) {
                    insert(bestScore, bestBeam, bestToken, scores[b] + current[b * classes + c], b, c);
                }
            }
            int[][] nextTokens = new int[width][];
            int[] nextLengths = new int[width];
            boolean[] nextDone = new boolean[width];
            int[] source = new int[width];
            int[] feedTokens = new int[width];
            for (int i = 0; i < width; i++) {
                int b = bestBeam[i];
                if (b < 0) {
                    nextTokens[i] = new int[length];
                    source[i] = 0;
                    continue;
                }
                nextTokens[i] = tokens[b].clone();
                nextLengths[i] = lengths[b];
                nextDone[i] = done[b];
                source[i] = b;
                if (bestToken[i] >= 0) {
                    nextTokens[i][nextLengths[i]++] = bestToken[i];
                    nextDone[i] = bestToken[i] == end;
                    feedTokens[i] = bestToken[i];
                }
            }
            tokens = nextTokens;
            lengths = nextLengths;
            done = nextDone;
            scores = bestScore;
            boolean allDone = true;
            for (int i = 0; i < width; i++) {
                allDone &= scores[i] == Double.NEGATIVE_INFINITY || done[i];
            }
            if (allDone || step + 1 == length) {
                break;
            }
            stepper.reorder(source);
            current = stepper.step(feedTokens);
        }
        int best = 0;
        for (int i = 1; i < width; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return new Sequence(Arrays.copyOf(tokens[best], lengths[best]), scores[best]);
    }

    /** Inserts a candidate into the descending top lists if it beats the smallest kept. */
    private static void insert(double[] score, int[] beam, int[] token, double s, int b, int c) {
        int n = score.length;
        if (!(s > score[n - 1])) {
            return;
        }
        int i = n - 1;
        while (i > 0 && s > score[i - 1]) {
            score[i] = score[i - 1];
            beam[i] = beam[i - 1];
            token[i] = token[i - 1];
            i--;
        }
        score[i] = s;
        beam[i] = b;
        token[i] = c;
    }
}
