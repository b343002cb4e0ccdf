package org.jrnn.simd;

/**
 * Loops that measure the machine with the Vector API at one width, so that benchmark results can be
 * stated as a fraction of limits measured in the same JVM. Obtain one from {@link SimdBackend#measurements()}.
 */
public final class SimdMeasurements {
    private final WidthKernels kernels;

    SimdMeasurements(WidthKernels kernels) {
        this.kernels = kernels;
    }

    /** Flops done by one round of {@link #fmaPeak}: sixteen FMA vectors of two flops per lane. */
    public long flopsPerFmaRound() {
        return 32L * (kernels.bits() / Float.SIZE);
    }

    /**
     * Sixteen independent chains of fused multiply-adds on registers, {@code rounds} times; the result only
     * keeps the JIT from removing the loop.
     */
    public float fmaPeak(long rounds) {
        return kernels.fmaPeak(rounds);
    }

    /** Reads every element of {@code x} once with vector loads (a read-bandwidth probe); returns the sum. */
    public float readAll(float[] x) {
        return kernels.readAll(x);
    }

    /** tanh with the JDK's lanewise {@code TANH}, the alternative to the backend's rational approximation. */
    public void tanhLibrary(int n, float[] x, int xOff, float[] y, int yOff) {
        kernels.tanhLibrary(n, x, xOff, y, yOff);
    }
}
