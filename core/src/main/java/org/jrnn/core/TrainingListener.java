package org.jrnn.core;

/**
 * Callbacks of a {@link Trainer}: after every step, after every epoch, and at the end. A listener may call
 * {@link Trainer#requestStop()} to end training after the current epoch.
 */
public interface TrainingListener {

    /**
     * One training step.
     *
     * @param epoch        0-based epoch
     * @param step         1-based count of steps applied over the whole run (a skipped step keeps the count)
     * @param loss         the batch's mean loss (NaN or infinite when skipped for that reason)
     * @param gradientNorm global L2 norm of the gradients before clipping (NaN when not computed)
     * @param learningRate the rate the step used
     * @param skipped      null when applied; otherwise why the step was not applied
     */
    record Step(int epoch, long step, double loss, double gradientNorm, float learningRate,
                NonFiniteException skipped) {
    }

    /**
     * One epoch.
     *
     * @param trainingLoss   mean training loss over the epoch's applied steps, weighted by their targets
     * @param validationLoss mean validation loss, or NaN without validation data
     * @param seconds        wall-clock time of the epoch, validation included
     */
    record Epoch(int epoch, double trainingLoss, double validationLoss, double seconds) {
    }

    default void onStep(Trainer trainer, Step step) {
    }

    default void onEpoch(Trainer trainer, Epoch epoch) {
    }

    /** After the last epoch (or a stop request). */
    default void onEnd(Trainer trainer) {
    }
}
