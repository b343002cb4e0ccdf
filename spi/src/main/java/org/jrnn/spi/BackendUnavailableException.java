package org.jrnn.spi;

/** Thrown when the backend that was asked for (by name or by {@code jrnn.backend.require}) cannot be used. */
public final class BackendUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
