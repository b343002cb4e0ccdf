package org.jrnn.bench;

import java.util.concurrent.TimeUnit;
import org.jrnn.core.OutputMode;
import org.jrnn.core.RecurrentGradients;
import org.jrnn.core.RecurrentLayer;
import org.jrnn.core.RecurrentOutput;
import org.jrnn.scalar.ScalarBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An LSTM layer over T = 100 steps (input size = hidden, output at every step): {@code forward}, and
 * {@code forwardBackward} (a training step without the optimizer). Scores are µs per time step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LstmSequenceBenchmark {
    static final int TIME = 100;

    @Param({"scalar", "simd"})
    public String backend;

    @Param({"64", "128", "256", "512", "1024"})
    public int hidden;

    @Param({"1", "64"})
    public int batch;

    private RecurrentLayer layer;
    private float[] x;
    private float[] dOutput;

    @Setup
    public void setup() {
        layer = BenchSupport.layer("lstm", BenchSupport.backend(backend), hidden, OutputMode.SEQUENCE);
        x = BenchSupport.uniform(1, batch * TIME * hidden, 1);
        dOutput = BenchSupport.uniform(2, batch * TIME * hidden, 1);
        if (!backend.equals(ScalarBackend.NAME)) {
            // a few steps against the scalar reference (the whole sequence would take the scalar backend long)
            int steps = 3;
            float[] xs = BenchSupport.uniform(1, batch * steps * hidden, 1);
            RecurrentLayer reference = BenchSupport.layer("lstm", new ScalarBackend(), hidden, OutputMode.SEQUENCE);
            RecurrentOutput expected = reference.forward(xs, batch, steps, null, null, null);
            RecurrentOutput actual = layer.forward(xs, batch, steps, null, null, null);
            BenchSupport.requireAgreement("lstm forward output", expected.output(), actual.output());
            float[] d = BenchSupport.uniform(2, batch * steps * hidden, 1);
            BenchSupport.requireAgreement("lstm backward dInput", reference.backward(d, null, null).dInput(),
                    layer.backward(d, null, null).dInput());
        }
    }

    @Benchmark
    @OperationsPerInvocation(TIME)
    public RecurrentOutput forward() {
        return layer.forward(x, batch, TIME, null, null, null);
    }

    @Benchmark
    @OperationsPerInvocation(TIME)
    public RecurrentGradients forwardBackward() {
        layer.forward(x, batch, TIME, null, null, null);
        return layer.backward(dOutput, null, null);
    }
}
