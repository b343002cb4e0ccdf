package org.jrnn.core;

/**
 * A learning-rate schedule: the rate for the step about to be taken, given how many steps were taken before
 * it (0 for the first). Schedules are pure functions of the step count, so a run resumed from a checkpoint
 * continues on the same curve.
 */
@FunctionalInterface
public interface LearningRate {

    /** The rate for the step that follows {@code step} completed steps; finite and {@code > 0}. */
    float at(long step);

    /** The same rate at every step. */
    static LearningRate constant(float rate) {
        OptimizerSupport.requirePositive("learning rate", rate);
        return step -> rate;
    }

    /** {@code rate·gamma^⌊step / every⌋}: multiplied by {@code gamma} after every {@code every} steps. */
    static LearningRate stepDecay(float rate, long every, float gamma) {
        OptimizerSupport.requirePositive("learning rate", rate);
        OptimizerSupport.requirePositive("gamma", gamma);
        if (every < 1) {
            throw new IllegalArgumentException("step decay: every must be >= 1 step, found " + every);
        }
        return step -> floor(rate * Math.pow(gamma, step / every));
    }

    /** {@code rate·gamma^step}: decays smoothly by {@code gamma} per step ({@code 0 < gamma <= 1}). */
    static LearningRate exponential(float rate, float gamma) {
        OptimizerSupport.requirePositive("learning rate", rate);
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("exponential decay: gamma must be in (0, 1], found " + gamma);
        }
        return step -> floor(rate * Math.pow(gamma, step));
    }

    /**
     * Cosine annealing (Loshchilov and Hutter 2017, one cycle) from {@code rate} down to {@code minimum} over
     * {@code steps} steps, then {@code minimum}.
     */
    static LearningRate cosine(float rate, long steps, float minimum) {
        OptimizerSupport.requirePositive("learning rate", rate);
        OptimizerSupport.requirePositive("minimum learning rate", minimum);
        if (steps < 1 || minimum > rate) {
            throw new IllegalArgumentException("cosine: need steps >= 1 and minimum <= rate, found steps=" + steps
                    + " minimum=" + minimum + " rate=" + rate);
        }
        return step -> step >= steps ? minimum
                : (float) (minimum + 0.5 * (rate - minimum) * (1 + Math.cos(Math.PI * step / steps)));
    }

    /**
     * This schedule after a linear warm-up: step {@code s < steps} uses {@code (s + 1) / (steps + 1)} of the
     * rate this schedule gives at step 0, then step {@code s >= steps} uses this schedule at {@code s − steps}.
     */
    default LearningRate withWarmup(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("warm-up must be >= 0 steps, found " + steps);
        }
        LearningRate after = this;
        return step -> step < steps ? after.at(0) * (step + 1) / (steps + 1) : after.at(step - steps);
    }

    /** Keeps long decays above zero, so that the rate stays a valid positive float. */
    private static float floor(double rate) {
        return (float) Math.max(rate, Float.MIN_NORMAL);
    }
}
