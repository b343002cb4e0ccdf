package org.jrnn.core;

import java.util.List;

/**
 * Updates parameters from their gradients. A step first checks that every gradient is finite; if one is
 * not, it throws {@link NonFiniteGradientException} naming the parameter and changes nothing.
 */
public interface Optimizer {
    /** Applies one update to every parameter set, from its current gradients. */
    void step(List<Parameters> parameters);
}
