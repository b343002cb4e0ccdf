package org.jrnn.bench;

import java.util.concurrent.TimeUnit;
import org.jrnn.core.OutputMode;
import org.jrnn.core.RecurrentLayer;
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
 * One streaming time step of a layer ({@link RecurrentLayer#step}: x, h, c in; h, c out; input size =
 * hidden), in µs. Subclasses name the cell.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public abstract class CellStepBenchmark {
    @Param({"scalar", "simd"})
    public String backend;

    @Param({"64", "128", "256", "512", "1024"})
    public int hidden;

    @Param({"1", "64"})
    public int batch;

    private RecurrentLayer layer;
    private float[] x;
    private float[] h;
    private float[] c;

    /** "lstm", "gru" or "rnn". */
    protected abstract String cell();

    @Setup
    public void setup() {
        layer = BenchSupport.layer(cell(), BenchSupport.backend(backend), hidden, OutputMode.SEQUENCE);
        x = BenchSupport.uniform(1, batch * hidden, 1);
        h = BenchSupport.uniform(2, batch * hidden, 0.5);
        c = cell().equals("lstm") ? BenchSupport.uniform(3, batch * hidden, 0.5) : null;
        BenchSupport.checkStep(cell(), layer, hidden, batch, x, h, c);
    }

    @Benchmark
    public void step() {
        layer.step(batch, x, h, c);
    }
}
