package org.jrnn.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Work done, reported by JMH as a rate per ns (the benchmarks' output unit): {@code elements} reads as elements per ns. */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Elements {
    public long elements;

    @Setup(Level.Iteration)
    public void reset() {
        elements = 0;
    }
}
