package org.jrnn.core;

/** A training step found a NaN or infinite gradient and applied nothing. */
public final class NonFiniteGradientException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public NonFiniteGradientException(String message) {
        super(message);
    }
}
