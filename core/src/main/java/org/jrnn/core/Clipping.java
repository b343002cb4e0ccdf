package org.jrnn.core;

import java.util.List;
import java.util.Objects;

import org.jrnn.spi.Backend;

/**
 * Gradient clipping over several parameter sets, applied between backward and the optimizer step.
 */
public final class Clipping {
    private Clipping() {
    }

    /** The L2 norm of all gradients together (accumulated in double); NaN or infinite if any gradient is. */
    public static double globalNorm(Backend backend, List<Parameters> parameters) {
        double sum = 0;
        for (Parameters p : parameters) {
            sum += backend.vectors().sumOfSquares(p.size(), p.gradients(), 0);
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales all gradients by {@code maxNorm / norm} when their global norm exceeds {@code maxNorm}
     * (Pascanu et al. 2013). Non-finite gradients are left as they are, for the optimizer's guard to report.
     *
     * @return the global norm before clipping
     */
    public static double byGlobalNorm(Backend backend, List<Parameters> parameters, float maxNorm) {
        Objects.requireNonNull(backend, "backend");
        OptimizerSupport.requirePositive("max norm", maxNorm);
        double norm = globalNorm(backend, parameters);
        if (Double.isFinite(norm) && norm > maxNorm) {
            float factor = (float) (maxNorm / norm);
            for (Parameters p : parameters) {
                backend.vectors().scale(p.size(), factor, p.gradients(), 0);
            }
        }
        return norm;
    }

    /** Clamps every gradient into {@code [-limit, limit]}; NaN stays NaN. */
    public static void byValue(Backend backend, List<Parameters> parameters, float limit) {
        Objects.requireNonNull(backend, "backend");
        OptimizerSupport.requirePositive("clip value", limit);
        for (Parameters p : parameters) {
            backend.vectors().clamp(p.size(), -limit, limit, p.gradients(), 0);
        }
    }
}
