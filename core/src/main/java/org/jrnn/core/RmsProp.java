package org.jrnn.core;

import org.jrnn.spi.Backend;

/** RMSProp (Tieleman and Hinton 2012) in PyTorch's form, see {@link org.jrnn.spi.VectorOps#rmsProp}. */
public final class RmsProp extends Optimizer {
    private final float rho;
    private final float epsilon;
    private final float weightDecay;

    /** RMSProp with PyTorch's defaults rho = 0.99, epsilon = 1e-8, no weight decay. */
    public RmsProp(Backend backend, float learningRate) {
        this(backend, LearningRate.constant(learningRate), 0.99f, 1e-8f, 0f);
    }

    public RmsProp(Backend backend, LearningRate learningRate, float rho, float epsilon, float weightDecay) {
        super(backend, learningRate);
        if (!(rho >= 0 && rho < 1)) {
            throw new IllegalArgumentException("rho must be in [0, 1), found " + rho);
        }
        OptimizerSupport.requirePositive("epsilon", epsilon);
        OptimizerSupport.requireNonNegative("weight decay", weightDecay);
        this.rho = rho;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public int slots() {
        return 1;
    }

    @Override
    protected void update(Parameters p, float[][] slots, float rate, long step) {
        backend.vectors().rmsProp(p.size(), rate, rho, epsilon, weightDecay, p.values(), 0, p.gradients(), 0,
                slots[0], 0);
    }
}
