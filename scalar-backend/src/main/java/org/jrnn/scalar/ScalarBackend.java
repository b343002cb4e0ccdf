package org.jrnn.scalar;

import org.jrnn.spi.Activations;
import org.jrnn.spi.Backend;
import org.jrnn.spi.Capabilities;
import org.jrnn.spi.Gates;
import org.jrnn.spi.MatrixOps;
import org.jrnn.spi.VectorOps;

/**
 * The reference backend: plain loops, one element at a time, transcendentals evaluated in double and
 * rounded once (within 1 ulp). Every other backend is checked against it.
 */
public final class ScalarBackend implements Backend {
    /** The name under which the provider registers it. */
    public static final String NAME = "scalar";

    private final Capabilities capabilities =
            new Capabilities(NAME, Float.SIZE, false, Runtime.version().feature(), 1);
    private final ScalarMatrixOps matrix = new ScalarMatrixOps();
    private final ScalarActivations activations = new ScalarActivations();
    private final ScalarGates gates = new ScalarGates();
    private final ScalarVectorOps vectors = new ScalarVectorOps();

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public MatrixOps matrix() {
        return matrix;
    }

    @Override
    public Activations activations() {
        return activations;
    }

    @Override
    public Gates gates() {
        return gates;
    }

    @Override
    public VectorOps vectors() {
        return vectors;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
