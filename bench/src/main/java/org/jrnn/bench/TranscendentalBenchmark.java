package org.jrnn.bench;

import java.util.concurrent.TimeUnit;
import org.jrnn.simd.SimdBackend;
import org.jrnn.simd.SimdMeasurements;
import org.jrnn.spi.Activations;
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
 * The choice of transcendental: the backend's rational {@code tanh} against the JDK's lanewise
 * {@code TANH}, and {@code sigmoid} (lanewise {@code EXP}), over 4096 floats in [-8, 8] held in L1. The
 * {@code elements} counter reads as elements per ns.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TranscendentalBenchmark {
    static final int N = 4096;

    @Param({"tanh", "tanhLibrary", "sigmoid"})
    public String function;

    @Param({"512", "256"})
    public int bits;

    private Activations activations;
    private SimdMeasurements measurements;
    private float[] x;
    private float[] y;

    @Setup
    public void setup() {
        SimdBackend backend = new SimdBackend(bits);
        activations = backend.activations();
        measurements = backend.measurements();
        x = BenchSupport.uniform(1, N, 8);
        y = new float[N];
    }

    @Benchmark
    public void apply(Elements work) {
        switch (function) {
            case "tanh" -> activations.tanh(N, x, 0, y, 0);
            case "tanhLibrary" -> measurements.tanhLibrary(N, x, 0, y, 0);
            case "sigmoid" -> activations.sigmoid(N, x, 0, y, 0);
            default -> throw new IllegalArgumentException("unknown function " + function);
        }
        work.elements += N;
    }
}
