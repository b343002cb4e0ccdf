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
 * An LSTM layer over T = 100 steps (input size = hidden, output at every step): {@code infer} (an inference pass,
 * {@link RecurrentLayer#infer}, what the peers' forward benchmarks measure), {@code forward} (the forward pass of
 * training, which keeps what backward needs), and {@code forwardBackward} (a training step without the
 * optimizer); {@code forwardVariable} and
 * {@code forwardBackwardVariable} do the same for a batch whose lengths are spread uniformly over
 * {@code [T/2, T]} (seeded), to set beside the padded batch of the same T. Scores are µs per time step of the
 * padded batch (T of them per invocation).
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
    private int[] lengths;

    @Setup
    public void setup() {
        layer = BenchSupport.layer(cell(), BenchSupport.backend(backend), hidden, OutputMode.SEQUENCE);
        x = BenchSupport.uniform(1, batch * TIME * hidden, 1);
        dOutput = BenchSupport.uniform(2, batch * TIME * hidden, 1);
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = TIME / 2 + random.nextInt(TIME - TIME / 2 + 1);
        }
        if (!backend.equals(ScalarBackend.NAME)) {
            // a few steps against the scalar reference (the whole sequence would take the scalar backend long)
            int steps = 3;
            float[] xs = BenchSupport.uniform(1, batch * steps * hidden, 1);
            RecurrentLayer reference = BenchSupport.layer(cell(), new ScalarBackend(), hidden, OutputMode.SEQUENCE);
            RecurrentOutput expected = reference.forward(xs, batch, steps, null, null, null);
            RecurrentOutput actual = layer.forward(xs, batch, steps, null, null, null);
            BenchSupport.requireAgreement(cell() + " forward output", expected.output(), actual.output());
            float[] d = BenchSupport.uniform(2, batch * steps * hidden, 1);
            BenchSupport.requireAgreement(cell() + " backward dInput", reference.backward(d, null, null).dInput(),
                    layer.backward(d, null, null).dInput());
        }
    }

    /** The cell this benchmark runs ({@link BenchSupport#layer}). */
    String cell() {
        return "lstm";
    }

    @Benchmark
    @OperationsPerInvocation(TIME)
    public RecurrentOutput infer() {
        return layer.infer(x, batch, TIME, null, null, null);
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

    @Benchmark
    @OperationsPerInvocation(TIME)
    public RecurrentOutput forwardVariable() {
        return layer.forward(x, batch, TIME, lengths, null, null);
    }

    @Benchmark
    @OperationsPerInvocation(TIME)
    public RecurrentGradients forwardBackwardVariable() {
        layer.forward(x, batch, TIME, lengths, null, null);
        return layer.backward(dOutput, null, null);
    }
}
