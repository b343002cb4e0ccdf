package org.jrnn.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * The description of one stage of a {@link SequenceModel}, from which the model is built and which a
 * checkpoint stores. Built through {@link SequenceModel.Builder}.
 */
public sealed interface LayerSpec {

    /** Token ids in, vectors of {@code dim} out. */
    record Embed(int vocabulary, int dim) implements LayerSpec {
    }

    /** Feature vectors of {@code size} in (the model has no embedding). */
    record Input(int size) implements LayerSpec {
    }

    /**
     * A recurrent layer; {@code merge} is null for one direction, else the bidirectional merge mode;
     * {@code recurrentDropout} the rate of variational dropout on its recurrent connections (0: none).
     */
    record Rnn(Cell cell, int hidden, OutputMode mode, Bidirectional.Merge merge, float recurrentDropout)
            implements LayerSpec {
        public Rnn {
            Objects.requireNonNull(cell, "cell");
            Objects.requireNonNull(mode, "mode");
            if (!(recurrentDropout >= 0 && recurrentDropout < 1)) {
                throw new IllegalArgumentException("recurrent dropout must be in [0, 1), found " + recurrentDropout);
            }
        }

        @Override
        public String toString() {
            return (merge == null ? "" : "bidirectional ") + cell + "(" + hidden + " units, " + mode
                    + (merge == null ? "" : ", " + merge) + (recurrentDropout == 0 ? "" : ", recurrent dropout "
                    + recurrentDropout) + ")";
        }

        /** This layer with recurrent dropout {@code rate}. */
        public Rnn withRecurrentDropout(float rate) {
            return new Rnn(cell, hidden, mode, merge, rate);
        }
    }

    /** Dropout on the features of every step. */
    record Drop(float rate) implements LayerSpec {
    }

    /** Dense layer and full softmax over {@code classes}. */
    record Softmax(int classes) implements LayerSpec {
    }

    /** Hierarchical softmax over a Huffman tree built from {@code counts}. */
    record Hierarchical(long[] counts) implements LayerSpec {
        public Hierarchical {
            counts = counts.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Hierarchical h && Arrays.equals(h.counts, counts);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(counts);
        }

        @Override
        public String toString() {
            return "Hierarchical[classes=" + counts.length + "]";
        }
    }

    /** Dense layer to {@code outputs} real values with mean squared error. */
    record Regression(int outputs) implements LayerSpec {
    }
}
