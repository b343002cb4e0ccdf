package org.jrnn.core;

import java.util.List;
import java.util.Objects;

import org.jrnn.spi.Backend;

/** Plain stochastic gradient descent: {@code p -= lr·g}. */
public final class Sgd implements Optimizer {
    private final Backend backend;
    private final float learningRate;
    private long steps;

    public Sgd(Backend backend, float learningRate) {
        this.backend = Objects.requireNonNull(backend, "backend");
        OptimizerSupport.requirePositive("learning rate", learningRate);
        this.learningRate = learningRate;
    }

    @Override
    public void step(List<Parameters> parameters) {
        OptimizerSupport.requireFiniteGradients(backend.vectors(), parameters, steps + 1);
        steps++;
        for (Parameters p : parameters) {
            backend.vectors().axpy(p.size(), -learningRate, p.gradients(), 0, p.values(), 0);
        }
    }
}
