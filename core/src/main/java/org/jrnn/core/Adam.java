package org.jrnn.core;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jrnn.spi.Backend;

/**
 * Adam (Kingma and Ba 2015) with optional decoupled weight decay (AdamW), through the backend's fused
 * update. Moments are kept per parameter set, created on first use.
 */
public final class Adam implements Optimizer {
    private final Backend backend;
    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private final Map<Parameters, float[][]> moments = new IdentityHashMap<>();
    private long steps;

    /** Adam with the usual defaults beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, no weight decay. */
    public Adam(Backend backend, float learningRate) {
        this(backend, learningRate, 0.9f, 0.999f, 1e-8f, 0f);
    }

    public Adam(Backend backend, float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        this.backend = Objects.requireNonNull(backend, "backend");
        OptimizerSupport.requirePositive("learning rate", learningRate);
        OptimizerSupport.requirePositive("epsilon", epsilon);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta1 and beta2 must be in [0, 1), found " + beta1 + " and " + beta2);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay must be >= 0, found " + weightDecay);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(List<Parameters> parameters) {
        OptimizerSupport.requireFiniteGradients(backend.vectors(), parameters, steps + 1);
        steps++;
        float c1 = (float) (1 - Math.pow(beta1, steps));
        float c2 = (float) (1 - Math.pow(beta2, steps));
        for (Parameters p : parameters) {
            float[][] mv = moments.computeIfAbsent(p, k -> new float[][] {new float[k.size()], new float[k.size()]});
            backend.vectors().adam(p.size(), learningRate, beta1, beta2, epsilon, weightDecay, c1, c2,
                    p.values(), 0, p.gradients(), 0, mv[0], 0, mv[1], 0);
        }
    }

    /** Steps taken so far. */
    public long steps() {
        return steps;
    }
}
