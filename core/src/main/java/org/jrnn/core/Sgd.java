package org.jrnn.core;

import org.jrnn.spi.Backend;

/**
 * Stochastic gradient descent, optionally with momentum (classical or Nesterov's) and L2 weight decay, in
 * PyTorch's form (see {@link org.jrnn.spi.VectorOps#momentum}).
 */
public final class Sgd extends Optimizer {
    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;

    /** Plain SGD: {@code p -= lr·g}. */
    public Sgd(Backend backend, float learningRate) {
        this(backend, LearningRate.constant(learningRate), 0f, false, 0f);
    }

    /**
     * @param momentum    in {@code [0, 1)}; 0 for plain SGD
     * @param nesterov    Nesterov's accelerated form (needs momentum > 0)
     * @param weightDecay L2 coefficient added to the gradient, {@code >= 0}
     */
    public Sgd(Backend backend, LearningRate learningRate, float momentum, boolean nesterov, float weightDecay) {
        super(backend, learningRate);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), found " + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0, found 0");
        }
        OptimizerSupport.requireNonNegative("weight decay", weightDecay);
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public int slots() {
        return momentum == 0 ? 0 : 1;
    }

    @Override
    protected void update(Parameters p, float[][] slots, float rate, long step) {
        if (momentum == 0) {
            if (weightDecay != 0) {
                backend.vectors().scale(p.size(), 1f - rate * weightDecay, p.values(), 0);
            }
            backend.vectors().axpy(p.size(), -rate, p.gradients(), 0, p.values(), 0);
            return;
        }
        backend.vectors().momentum(p.size(), rate, momentum, nesterov, weightDecay, p.values(), 0, p.gradients(), 0,
                slots[0], 0);
    }
}
