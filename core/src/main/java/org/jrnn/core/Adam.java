package org.jrnn.core;

import org.jrnn.spi.Backend;

/**
 * Adam (Kingma and Ba 2015) with optional decoupled weight decay (AdamW), through the backend's fused
 * update ({@link org.jrnn.spi.VectorOps#adam}).
 */
public final class Adam extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;

    /** Adam with the usual defaults beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, no weight decay. */
    public Adam(Backend backend, float learningRate) {
        this(backend, LearningRate.constant(learningRate), 0.9f, 0.999f, 1e-8f, 0f);
    }

    public Adam(Backend backend, float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        this(backend, LearningRate.constant(learningRate), beta1, beta2, epsilon, weightDecay);
    }

    public Adam(Backend backend, LearningRate learningRate, float beta1, float beta2, float epsilon,
                float weightDecay) {
        super(backend, learningRate);
        OptimizerSupport.requirePositive("epsilon", epsilon);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta1 and beta2 must be in [0, 1), found " + beta1 + " and " + beta2);
        }
        OptimizerSupport.requireNonNegative("weight decay", weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public int slots() {
        return 2;
    }

    @Override
    protected void update(Parameters p, float[][] slots, float rate, long step) {
        float c1 = (float) (1 - Math.pow(beta1, step));
        float c2 = (float) (1 - Math.pow(beta2, step));
        backend.vectors().adam(p.size(), rate, beta1, beta2, epsilon, weightDecay, c1, c2,
                p.values(), 0, p.gradients(), 0, slots[0], 0, slots[1], 0);
    }
}
