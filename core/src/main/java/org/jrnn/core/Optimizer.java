package org.jrnn.core;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jrnn.spi.Backend;

/**
 * Updates parameters from their gradients with one fused SPI call per parameter set. The per-parameter
 * state (moments, velocities) is created on first use, one array per slot with the set's layout.
 *
 * <p>A step is all or nothing: it first checks that every gradient is finite and, if one is not, throws
 * {@link NonFiniteException} naming the step and the parameter, changing no parameter, no state and
 * not the step count.
 */
public abstract class Optimizer {
    protected final Backend backend;
    private final LearningRate learningRate;
    private final Map<Parameters, float[][]> state = new IdentityHashMap<>();
    private long steps;

    protected Optimizer(Backend backend, LearningRate learningRate) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.learningRate = Objects.requireNonNull(learningRate, "learningRate");
    }

    /** Short name, as written in checkpoints ({@code sgd}, {@code rmsprop}, {@code adam}). */
    public abstract String name();

    /** Number of state arrays per parameter set (0 for plain SGD). */
    public abstract int slots();

    /** Applies one update to every parameter set, from its current gradients. */
    public final void step(List<Parameters> parameters) {
        OptimizerSupport.requireFiniteGradients(backend.vectors(), parameters, steps + 1);
        float rate = learningRate.at(steps);
        if (!(rate > 0) || !Float.isFinite(rate)) {
            throw new IllegalStateException("step " + (steps + 1) + ": the learning-rate schedule gave " + rate
                    + ", expected a finite rate > 0; no parameter was changed");
        }
        steps++;
        for (Parameters p : parameters) {
            update(p, stateOf(p), rate, steps);
        }
    }

    /** Applies the update of step {@code step} (1 for the first) to one parameter set. */
    protected abstract void update(Parameters p, float[][] slots, float rate, long step);

    /** Steps taken so far. */
    public final long steps() {
        return steps;
    }

    /** The learning rate the next step will use. */
    public final float currentLearningRate() {
        return learningRate.at(steps);
    }

    /** The state arrays of one parameter set (created, zero, on first use); live, not copies. */
    public final float[][] stateOf(Parameters p) {
        return state.computeIfAbsent(p, k -> {
            float[][] slots = new float[slots()][];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = new float[k.size()];
            }
            return slots;
        });
    }

    /**
     * Restores the step count and the state of the given parameter sets (as saved in a checkpoint).
     *
     * @param slotValues per parameter set, {@link #slots()} arrays of its size
     * @throws IllegalArgumentException if a count or a size does not match, changing nothing
     */
    public final void restore(long steps, List<Parameters> parameters, List<float[][]> slotValues) {
        if (steps < 0 || parameters.size() != slotValues.size()) {
            throw new IllegalArgumentException(name() + ": restore needs steps >= 0 and one state per parameter set,"
                    + " found steps=" + steps + ", " + parameters.size() + " sets and " + slotValues.size() + " states");
        }
        List<float[][]> copies = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            Parameters p = parameters.get(i);
            float[][] values = slotValues.get(i);
            if (values.length != slots()) {
                throw new IllegalArgumentException(name() + ": " + p.owner() + " needs " + slots()
                        + " state arrays, found " + values.length);
            }
            float[][] copy = new float[values.length][];
            for (int s = 0; s < values.length; s++) {
                if (values[s].length != p.size()) {
                    throw new IllegalArgumentException(name() + ": state " + s + " of " + p.owner() + " must have "
                            + p.size() + " values, found " + values[s].length);
                }
                copy[s] = values[s].clone();
            }
            copies.add(copy);
        }
        this.steps = steps;
        for (int i = 0; i < parameters.size(); i++) {
            state.put(parameters.get(i), copies.get(i));
        }
    }
}
