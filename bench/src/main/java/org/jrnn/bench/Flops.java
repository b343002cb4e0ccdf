package org.jrnn.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Work done, reported by JMH as a rate per ns (the benchmarks' output unit): {@code flops} reads as GFLOP/s (flops per ns). */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Flops {
    public long flops;

    @Setup(Level.Iteration)
    public void reset() {
        flops = 0;
    }
}
