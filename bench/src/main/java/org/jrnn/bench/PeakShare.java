package org.jrnn.bench;

import org.jrnn.simd.SimdBackend;
import org.jrnn.simd.SimdMeasurements;
import org.jrnn.spi.Backends;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The share of this machine's FMA peak that a benchmark's flops reach, with the peak measured in the same fork
 * before each iteration ({@link PeakBenchmark}'s loop at the width of the SIMD backend in use, the best of
 * {@link #WINDOWS} short windows). The clock of a shared machine moves between runs and within one
 * ({@link PeakBenchmark} measured 270.8-283.5 GFLOP/s in six runs of one evening on the AMD Zen 5 class
 * machine), so a fraction of a peak measured minutes apart can be off by 5 %; this one is not. The peak counted is
 * the highest measured in the fork so far: a measurement that another process cut into can only read low (one
 * iteration of a run read 1.36 against its neighbours' 0.91-0.95), so a share can read low, never high.
 * {@code peakShare} accumulates, for each
 * operation, the nanoseconds that the measured peak would take for its flops; JMH divides it by the iteration's
 * nanoseconds, so it reads as the fraction of the peak (0.91 = 91 %).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class PeakShare {
    /** Short timed windows of the peak loop before each iteration; the best counts (another process may cut in). */
    static final int WINDOWS = 8;
    /** Length of one window. */
    static final long WINDOW_NANOS = 4_000_000L;
    /** FMA rounds per call of the peak loop: about 30 µs at 512 bits, so that the call's own cost is negligible. */
    static final long ROUNDS = 1 << 14;

    /** Nanoseconds the measured peak takes for the flops done so far in this iteration. */
    public double peakShare;

    private double flopsPerNanosecond;
    private SimdMeasurements measurements;
    /** The peak loop's results, kept so that the JIT cannot drop the loop. */
    private float sink;

    /**
     * Measures the peak before this iteration (the SIMD backend's width: the one the registry hands out) and keeps
     * the highest of the fork's measurements.
     */
    @Setup(Level.Iteration)
    public void measurePeak() {
        peakShare = 0;
        if (measurements == null) {
            measurements = simd().measurements();
        }
        double best = 0;
        long flopsPerCall = ROUNDS * measurements.flopsPerFmaRound();
        for (int w = 0; w < WINDOWS; w++) {
            long calls = 0;
            long start = System.nanoTime();
            long elapsed;
            do {
                sink += measurements.fmaPeak(ROUNDS);
                calls++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < WINDOW_NANOS);
            best = Math.max(best, (double) calls * flopsPerCall / elapsed);
        }
        flopsPerNanosecond = Math.max(flopsPerNanosecond, best);
    }

    /** Counts {@code flops} done by the benchmark against the highest peak measured in this fork so far. */
    void add(long flops) {
        peakShare += flops / flopsPerNanosecond;
    }

    /** The registry's SIMD backend, at the width the benchmarks' products run at. */
    private static SimdBackend simd() {
        if (Backends.get(SimdBackend.NAME) instanceof SimdBackend simd) {
            return simd;
        }
        throw new IllegalStateException("the registry's \"" + SimdBackend.NAME + "\" backend is not the SIMD backend");
    }
}
