package org.jrnn.core;

/**
 * A training step met a NaN or infinite loss or gradient and applied nothing: the parameters and the
 * optimizer's state are as they were before the step.
 */
public final class NonFiniteException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final long step;
    private final String where;

    /**
     * @param step  the step that was refused (1 for the first)
     * @param where {@code "loss"} or the parameter, as {@code owner.tensor[index]}
     */
    public NonFiniteException(long step, String where, String message) {
        super(message);
        this.step = step;
        this.where = where;
    }

    /** The step that was refused (1 for the first). */
    public long step() {
        return step;
    }

    /** {@code "loss"}, or the first non-finite gradient as {@code owner.tensor[index]}. */
    public String where() {
        return where;
    }
}
