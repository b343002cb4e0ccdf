package org.jrnn.core;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

import org.jrnn.spi.Backend;

/**
 * A lookup table from token ids to vectors, PyTorch's {@code nn.Embedding} layout: {@code weight [vocab][dim]}.
 * Trainable by default; a frozen embedding ({@link #trainable(boolean) trainable(false)}) receives no gradient
 * and is left out of {@link #trainableParameters()}.
 */
public final class Embedding {
    public static final String WEIGHT = "weight";

    /** What {@link #load} gives words of the vocabulary that the pretrained vectors lack. */
    public enum Unknown {
        /** The zero vector. */
        ZERO,
        /**
         * Uniform random values, seeded, with the same variance as the pretrained values (so that they neither
         * dominate nor vanish); they are then learned if the embedding is trainable.
         */
        RANDOM
    }

    private final Backend backend;
    private final int vocabulary;
    private final int dim;
    private final Parameters parameters;
    private boolean trainable = true;
    private int rows;
    private int[] ids;
    private float[] output;

    /** An embedding with zero vectors; call {@link #initialize(long)} or {@link #load}. */
    public Embedding(Backend backend, int vocabulary, int dim) {
        this.backend = Objects.requireNonNull(backend, "backend");
        if (vocabulary < 1 || dim < 1) {
            throw new IllegalArgumentException("embedding: vocabulary and dim must be >= 1, found vocabulary="
                    + vocabulary + " dim=" + dim);
        }
        this.vocabulary = vocabulary;
        this.dim = dim;
        this.parameters = Parameters.builder("embedding").add(WEIGHT, vocabulary, dim).build();
    }

    /** Standard normal vectors, as PyTorch's default, seeded. */
    public Embedding initialize(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = parameters.values();
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Initializers.gaussian(random);
        }
        return this;
    }

    /**
     * Copies pretrained vectors into the rows of the words of {@code vocabulary}; words the vectors lack get the
     * {@code unknown} treatment.
     *
     * @return how many words of the vocabulary were found in the vectors
     * @throws IllegalArgumentException if the dimensions or the vocabulary size differ from this embedding's
     */
    public int load(WordVectors vectors, Vocabulary vocabulary, Unknown unknown, long seed) {
        Objects.requireNonNull(vectors, "vectors");
        Objects.requireNonNull(unknown, "unknown");
        if (vectors.dim() != dim) {
            throw new IllegalArgumentException("embedding: pretrained vectors have " + vectors.dim()
                    + " dimensions, this embedding has " + dim);
        }
        if (vocabulary.size() != this.vocabulary) {
            throw new IllegalArgumentException("embedding: the vocabulary has " + vocabulary.size()
                    + " words, this embedding has " + this.vocabulary + " rows");
        }
        double bound = Math.sqrt(3 * vectors.variance());
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = parameters.values();
        int found = 0;
        for (int id = 0; id < this.vocabulary; id++) {
            int row = vectors.indexOf(vocabulary.word(id));
            if (row >= 0) {
                vectors.copyRow(row, w, id * dim);
                found++;
            } else if (unknown == Unknown.ZERO) {
                Arrays.fill(w, id * dim, (id + 1) * dim, 0f);
            } else {
                for (int j = 0; j < dim; j++) {
                    w[id * dim + j] = (float) ((2 * random.nextDouble() - 1) * bound);
                }
            }
        }
        return found;
    }

    /** Whether training updates the vectors. */
    public Embedding trainable(boolean on) {
        this.trainable = on;
        return this;
    }

    public boolean trainable() {
        return trainable;
    }

    public Parameters parameters() {
        return parameters;
    }

    public int vocabularySize() {
        return vocabulary;
    }

    public int dim() {
        return dim;
    }

    /**
     * Looks up {@code tokens [batch][time]}: the result {@code [batch][time][dim]} (layer-owned, overwritten by
     * the next call) is zero past each sequence's length, where the ids are not read.
     *
     * @param lengths per-sequence lengths in {@code [1, time]}, or null for all {@code time}
     * @throws IllegalArgumentException naming the position of an id outside {@code [0, vocabulary)}
     */
    public float[] forward(int[] tokens, int batch, int time, int[] lengths) {
        Objects.requireNonNull(tokens, "tokens");
        if (batch < 1 || time < 1 || tokens.length != (long) batch * time) {
            throw new IllegalArgumentException("embedding: tokens must be [batch=" + batch + "][time=" + time
                    + "] = " + ((long) batch * time) + " ids, found " + tokens.length);
        }
        Sequences.checkLengths("embedding", lengths, batch, time);
        int n = batch * time;
        if (n != rows) {
            rows = n;
            ids = new int[n];
            output = new float[n * dim];
        }
        float[] w = parameters.values();
        for (int b = 0; b < batch; b++) {
            int length = lengths == null ? time : lengths[b];
            for (int t = 0; t < time; t++) {
                int i = b * time + t;
                if (t >= length) {
                    ids[i] = -1;
                    Arrays.fill(output, i * dim, (i + 1) * dim, 0f);
                    continue;
                }
                int id = tokens[i];
                if (id < 0 || id >= vocabulary) {
                    throw new IllegalArgumentException("embedding: token id at [" + b + "][" + t + "] must be in [0, "
                            + vocabulary + "), found " + id);
                }
                ids[i] = id;
                System.arraycopy(w, id * dim, output, i * dim, dim);
            }
        }
        return output;
    }

    /**
     * Copies the vectors of {@code ids} into {@code out [ids.length][dim]} (inference: nothing is kept for
     * backward).
     *
     * @throws IllegalArgumentException naming the position of an id outside {@code [0, vocabulary)}
     */
    public void lookup(int[] ids, float[] out) {
        if (out.length != ids.length * dim) {
            throw new IllegalArgumentException("embedding: out must have " + ids.length + " x " + dim
                    + " values, found " + out.length);
        }
        float[] w = parameters.values();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabulary) {
                throw new IllegalArgumentException("embedding: token id [" + i + "] must be in [0, " + vocabulary
                        + "), found " + ids[i]);
            }
            System.arraycopy(w, ids[i] * dim, out, i * dim, dim);
        }
    }

    /** Adds {@code dOutput [batch][time][dim]} into the gradient rows of the ids last looked up (unless frozen). */
    public void backward(float[] dOutput) {
        if (ids == null) {
            throw new IllegalStateException("embedding: backward called before forward");
        }
        Objects.requireNonNull(dOutput, "dOutput");
        if (dOutput.length != rows * dim) {
            throw new IllegalArgumentException("embedding: dOutput must have " + (rows * dim) + " values, found "
                    + dOutput.length);
        }
        if (!trainable) {
            return;
        }
        float[] g = parameters.gradients();
        for (int i = 0; i < rows; i++) {
            if (ids[i] >= 0) {
                backend.vectors().axpy(dim, 1f, dOutput, i * dim, g, ids[i] * dim);
            }
        }
    }
}
