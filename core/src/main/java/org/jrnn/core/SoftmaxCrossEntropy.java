package org.jrnn.core;

import java.util.Arrays;
import java.util.Objects;

import org.jrnn.spi.Backend;

/**
 * Softmax followed by cross-entropy with integer targets, averaged over the rows that count. A target of
 * {@link #IGNORE} masks its row (no loss, no gradient), as for padding.
 */
public final class SoftmaxCrossEntropy {
    /** The target value that masks a row. */
    public static final int IGNORE = -1;

    private final Backend backend;
    private int rows;
    private int classes;
    private float[] logProbs;
    private float[] dy;
    private float[] dLogits;

    public SoftmaxCrossEntropy(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /**
     * Mean negative log-likelihood of {@code targets} under {@code softmax(logits)}, in nats; 0 when every
     * row is masked.
     *
     * @param logits  {@code [rows][classes]}
     * @param targets {@code [rows]} class indices in {@code [0, classes)} or {@link #IGNORE}
     */
    public double forward(float[] logits, int rows, int classes, int[] targets) {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(targets, "targets");
        if (rows < 1 || classes < 1 || logits.length != (long) rows * classes) {
            throw new IllegalArgumentException("cross-entropy: logits must be [rows=" + rows + "][classes=" + classes
                    + "] = " + ((long) rows * classes) + " values, found " + logits.length);
        }
        if (targets.length != rows) {
            throw new IllegalArgumentException("cross-entropy: targets must have " + rows + " entries, found "
                    + targets.length);
        }
        for (int r = 0; r < rows; r++) {
            if (targets[r] != IGNORE && (targets[r] < 0 || targets[r] >= classes)) {
                throw new IllegalArgumentException("cross-entropy: targets[" + r + "] must be in [0, " + classes
                        + ") or " + IGNORE + ", found " + targets[r]);
            }
        }
        if (rows != this.rows || classes != this.classes) {
            this.rows = rows;
            this.classes = classes;
            logProbs = new float[rows * classes];
            dy = new float[rows * classes];
            dLogits = new float[rows * classes];
        }
        backend.activations().logSoftmax(rows, classes, logits, 0, classes, logProbs, 0, classes);
        int counted = 0;
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            if (targets[r] != IGNORE) {
                loss -= logProbs[r * classes + targets[r]];
                counted++;
            }
        }
        // gradient of the mean: -1/counted at each target, through log-softmax
        Arrays.fill(dy, 0f);
        for (int r = 0; r < rows; r++) {
            if (targets[r] != IGNORE) {
                dy[r * classes + targets[r]] = -1f / counted;
            }
        }
        backend.activations().logSoftmaxBackward(rows, classes, logProbs, 0, classes, dy, 0, classes,
                dLogits, 0, classes);
        for (int r = 0; r < rows; r++) {
            if (targets[r] == IGNORE) {
                Arrays.fill(dLogits, r * classes, (r + 1) * classes, 0f);
            }
        }
        return counted == 0 ? 0 : loss / counted;
    }

    /** Gradient of the last {@link #forward} loss with respect to the logits (layer-owned). */
    public float[] gradient() {
        if (dLogits == null) {
            throw new IllegalStateException("cross-entropy: gradient requested before forward");
        }
        return dLogits;
    }

    /** Log-probabilities of the last {@link #forward} (layer-owned). */
    public float[] logProbabilities() {
        return logProbs;
    }
}
