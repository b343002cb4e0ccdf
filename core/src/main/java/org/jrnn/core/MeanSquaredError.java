package org.jrnn.core;

import java.util.Objects;

import org.jrnn.spi.Backend;

/** Mean squared error {@code Σ (y − t)² / n} and its gradient {@code 2 (y − t) / n}. */
public final class MeanSquaredError {
    private final Backend backend;
    private float[] gradient;

    public MeanSquaredError(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** The loss of {@code predictions} against {@code targets} (same length, at least 1). */
    public double forward(float[] predictions, float[] targets) {
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(targets, "targets");
        if (predictions.length != targets.length || predictions.length == 0) {
            throw new IllegalArgumentException("mse: predictions and targets must have the same non-zero length, found "
                    + predictions.length + " and " + targets.length);
        }
        int n = predictions.length;
        if (gradient == null || gradient.length != n) {
            gradient = new float[n];
        }
        System.arraycopy(predictions, 0, gradient, 0, n);
        backend.vectors().axpy(n, -1f, targets, 0, gradient, 0);
        double loss = backend.vectors().sumOfSquares(n, gradient, 0) / n;
        backend.vectors().scale(n, 2f / n, gradient, 0);
        return loss;
    }

    /** Gradient of the last loss with respect to the predictions (owned by this object). */
    public float[] gradient() {
        if (gradient == null) {
            throw new IllegalStateException("mse: gradient requested before forward");
        }
        return gradient;
    }
}
