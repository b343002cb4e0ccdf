package org.jrnn.simd;

import org.jrnn.spi.Activations;
import org.jrnn.spi.Backend;
import org.jrnn.spi.Capabilities;
import org.jrnn.spi.Gates;
import org.jrnn.spi.MatrixOps;
import org.jrnn.spi.VectorOps;

/**
 * The SIMD backend: every primitive written with {@code jdk.incubator.vector} for one vector width (128, 256
 * or 512 bits), with fused multiply-add. Needs {@code --add-modules jdk.incubator.vector} on the command
 * line; {@link SimdBackendProvider} checks that before this class is touched.
 *
 * <p><b>Kernels.</b> GEMM with op(B) row-major (no transpose, or a transposed A) is an outer-product kernel:
 * a tile of 4 rows by 4 vectors (16 accumulators), or 1 row by 8 vectors for a single row, blocked over
 * k (256) and n (512) so the shared slice of B stays in L2. GEMM with a transposed B (what a layer's
 * {@code x·Wᵀ} is) runs dot products along contiguous rows: 4 rows of A by 3 rows of B (12 accumulators),
 * or 1 by 8 for a single row, so a batch-1 step streams each weight once. Short products with many rows
 * (k ≤ 128, m ≥ k) instead transpose B into a per-thread buffer (allocated on first use) and run the
 * broadcast kernel. Element-wise loops run over whole vectors and finish with one masked vector. For given
 * m and k, every element of a product gets the same arithmetic whichever tile computes it, so splitting the
 * columns (as a threaded layer does) does not change a result.
 * Results are deterministic for a given width once C2 has compiled the kernels: before that (the first few
 * thousand calls) the JDK's {@code reduceLanes} and lanewise {@code EXP}, whose interpreted forms add lanes
 * in another order and round {@code exp} differently, may change a result in its last bit. (A hand-written
 * exp and lane sum in a fixed order avoid that, but measured 5 to 10 times slower here: the longer vector
 * code was not inlined by C2 and its vectors were boxed.)
 *
 * <p><b>Transcendentals.</b> {@code tanh} is a rational approximation (degree 13 over degree 6, clamped at
 * ±7.905): at most 5 ulp from the exact value (4.25 ulp measured over [-20, 20] in steps of 2⁻¹² and near
 * zero, the worst just below the clamp), against 0.5 ulp for the JDK's lanewise {@code TANH}, and runs 1.8
 * times as fast at 512 bits and 3.3 times as fast at 256 (see {@code TranscendentalBenchmark} in the bench
 * module).
 * {@code sigmoid} is {@code 1/(1+exp(−x))} with the JDK's lanewise {@code EXP} (Intel SVML on x86): at most
 * 3 ulp (2.2 measured). The LSTM gate step computes its three sigmoids and two tanh with the rational form
 * alone, {@code σ(x) = (1 + tanh(x/2))/2}, clamped by compare and blend and without the exact case near 0
 * (σ within 1.2e-7 absolute, tanh within 1.5e-7 relative near 0), and calls no {@code EXP}: its gate pass
 * takes 0.9–1.0 ns per unit at batch 64 against 1.1–1.2 before. The GRU gate step keeps {@code EXP}, with
 * tanh as {@code 2σ(2x) − 1} (within 2.4e-7 absolute). Softmax recovers the
 * rounding error of {@code x − max} exactly, so {@code exp} of large negative shifts keeps its accuracy.
 * {@code SimdAccuracyTest} holds the backend to these bounds.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SimdBackend implements Backend {
    /** The name under which the provider registers it. */
    public static final String NAME = "simd";

    private final WidthKernels kernels;
    private final Capabilities capabilities;

    /** The backend at the width this CPU prefers, capped at 512 bits. */
    public SimdBackend() {
        this(Math.min(512, VectorWidths.preferred()));
    }

    /**
     * The backend at an explicit width, whatever the CPU prefers (narrower or wider vectors than the
     * hardware has still compute the same results, only slower).
     *
     * @param bits 128, 256 or 512
     * @throws IllegalArgumentException for any other width
     */
    public SimdBackend(int bits) {
        this.kernels = VectorWidths.kernels(bits);
        this.capabilities = new Capabilities(NAME, bits, true, Runtime.version().feature(), 1);
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public MatrixOps matrix() {
        return kernels;
    }

    @Override
    public Activations activations() {
        return kernels;
    }

    @Override
    public Gates gates() {
        return kernels;
    }

    @Override
    public VectorOps vectors() {
        return kernels;
    }

    /** Loops that measure this machine at this backend's width, for the benchmarks. */
    public SimdMeasurements measurements() {
        return new SimdMeasurements(kernels);
    }

    @Override
    public String toString() {
        return NAME + "-" + kernels.bits();
    }
}
