package org.jrnn.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The parameters every peer benchmark shares with jrnn's: hidden size (input = hidden), batch, the peer's
 * intra-op threads, and T = 100 for sequences; and the JMH settings they share (µs per operation, 3 warm-up and
 * 5 measured iterations of 1 s, one fork with the Vector API module; the PyTorch benchmarks fork with DJL's
 * offline settings too).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public abstract class PeerShape {
    static final int TIME = 100;

    @Param({"64", "128", "256", "512", "1024"})
    public int hidden;

    @Param({"1", "64"})
    public int batch;

    @Param({"1"})
    public int threads;
}
