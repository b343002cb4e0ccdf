package org.jrnn.bench;

import java.util.concurrent.TimeUnit;
import org.jrnn.simd.SimdBackend;
import org.jrnn.simd.SimdMeasurements;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This machine's single-thread FP32 FMA peak through the Vector API: sixteen independent FMA chains on
 * registers, no memory traffic. The {@code flops} counter reads as GFLOP/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PeakBenchmark {
    static final long ROUNDS = 4096;

    @Param({"512", "256"})
    public int bits;

    private SimdMeasurements measurements;

    @Setup
    public void setup() {
        SimdBackend backend = new SimdBackend(bits);
        System.out.println("# jrnn backend: " + backend.capabilities().describe());
        measurements = backend.measurements();
    }

    @Benchmark
    public float fma(Flops work) {
        work.flops += ROUNDS * measurements.flopsPerFmaRound();
        return measurements.fmaPeak(ROUNDS);
    }
}
