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
 * Single-thread read bandwidth: sums a float array of the given size again and again with 512-bit loads
 * and eight accumulators, so the array lives in the cache level its size fits. The {@code bytes} counter
 * reads as GB/s. Sizes: the recurrent weights of an LSTM are 16·H² bytes (1 MiB at H = 256, 4 MiB at 512,
 * 16 MiB at 1024).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class BandwidthBenchmark {
    @Param({"32", "1024", "4096", "16384", "262144"})
    public int kib;

    private SimdMeasurements measurements;
    private float[] data;

    @Setup
    public void setup() {
        measurements = new SimdBackend(512).measurements();
        data = BenchSupport.uniform(1, kib * 256, 1);
    }

    @Benchmark
    public float read(Bytes work) {
        work.bytes += 4L * data.length;
        return measurements.readAll(data);
    }
}
