package org.jrnn.tck;

/**
 * Every contract of the kit: matrix products, activations, gate steps, vector operations and argument
 * checking. Implement {@link #backend()} in a test class and JUnit runs them all.
 */
public interface BackendContract extends MatrixOpsContract, ActivationsContract, GatesContract, VectorOpsContract {
}
