package org.jrnn.core;

import java.util.List;

import org.jrnn.spi.VectorOps;

/** Shared checks of the optimizers. */
final class OptimizerSupport {
    private OptimizerSupport() {
    }

    /** Throws, changing nothing, unless every gradient is finite. */
    static void requireFiniteGradients(VectorOps vectors, List<Parameters> sets, long step) {
        for (Parameters p : sets) {
            float[] g = p.gradients();
            if (Double.isFinite(vectors.sumOfSquares(g.length, g, 0))) {
                continue;
            }
            for (int i = 0; i < g.length; i++) {
                if (!Float.isFinite(g[i])) {
                    Parameters.Tensor t = p.tensorAt(i);
                    String where = p.owner() + "." + t.name() + "[" + (i - t.offset()) + "]";
                    throw new NonFiniteException(step, where, "step " + step + ": gradient of " + where + " is "
                            + g[i] + "; no parameter was changed");
                }
            }
        }
    }

    static void requirePositive(String name, float value) {
        if (!(value > 0) || !Float.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, found " + value);
        }
    }

    static void requireNonNegative(String name, float value) {
        if (!(value >= 0) || !Float.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, found " + value);
        }
    }
}
