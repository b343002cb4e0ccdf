package org.jrnn.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.jrnn.core.RecurrentLayer;
import org.jrnn.core.RecurrentOutput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ONNX Runtime (Java API, CPU provider) running a one-node ONNX {@code LSTM} that this benchmark writes with
 * jrnn's weights: one streaming step (sequence length 1, the states fed back) and a forward pass over T = 100,
 * µs per time step. Before timing, ONNX Runtime's outputs are checked against jrnn's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class OnnxRuntimeLstmBenchmark extends PeerShape {

    private OrtEnvironment env;
    private OrtSession stepSession;
    private OrtSession sequenceSession;
    private OnnxTensor stepX;
    private OnnxTensor sequenceX;
    private OnnxTensor[] h;
    private OnnxTensor[] c;
    private OnnxTensor zeroH;
    private OnnxTensor zeroC;
    private int current;

    @Setup(Level.Trial)
    public void setup() throws OrtException {
        env = OrtEnvironment.getEnvironment();
        RecurrentLayer layer = PeerSupport.reference(hidden);
        var p = layer.parameters();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        stepSession = env.createSession(OnnxLstmModel.build(hidden, hidden, 1, batch, p.get("weight_ih"),
                p.get("weight_hh"), p.get("bias_ih"), p.get("bias_hh")), options);
        sequenceSession = env.createSession(OnnxLstmModel.build(hidden, hidden, TIME, batch, p.get("weight_ih"),
                p.get("weight_hh"), p.get("bias_ih"), p.get("bias_hh")), options);
        float[] x = BenchSupport.uniform(1, batch * TIME * hidden, 1);
        float[] h0 = BenchSupport.uniform(2, batch * hidden, 0.5);
        float[] c0 = BenchSupport.uniform(3, batch * hidden, 0.5);
        // ONNX is time-major: X [T][B][X]
        sequenceX = tensor(PeerSupport.transpose(x, batch, TIME, hidden), TIME, batch, hidden);
        stepX = tensor(java.util.Arrays.copyOf(PeerSupport.transpose(x, batch, TIME, hidden), batch * hidden), 1,
                batch, hidden);
        h = new OnnxTensor[] {tensor(h0, 1, batch, hidden), tensor(h0, 1, batch, hidden)};
        c = new OnnxTensor[] {tensor(c0, 1, batch, hidden), tensor(c0, 1, batch, hidden)};
        zeroH = tensor(h0, 1, batch, hidden);
        zeroC = tensor(c0, 1, batch, hidden);
        RecurrentOutput expected = PeerSupport.referenceForward(layer, x, batch, TIME, h0, c0);
        try (OrtSession.Result r = sequenceSession.run(Map.of("X", sequenceX, "initial_h", zeroH, "initial_c", zeroC))) {
            float[] y = ((OnnxTensor) r.get(0)).getFloatBuffer().array();
            PeerSupport.requireAgreement("ONNX Runtime LSTM output", PeerSupport.transpose(expected.output(), batch,
                    TIME, hidden), y);
            PeerSupport.requireAgreement("ONNX Runtime LSTM Y_h", expected.hN(),
                    ((OnnxTensor) r.get(1)).getFloatBuffer().array());
            PeerSupport.requireAgreement("ONNX Runtime LSTM Y_c", expected.cN(),
                    ((OnnxTensor) r.get(2)).getFloatBuffer().array());
        }
    }

    private OnnxTensor tensor(float[] values, long... shape) throws OrtException {
        FloatBuffer buffer = ByteBuffer.allocateDirect(4 * values.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
        buffer.put(values).rewind();
        return OnnxTensor.createTensor(env, buffer, shape);
    }

    /** One step: the states ping-pong between two pairs of tensors, the outputs written into the other pair. */
    @Benchmark
    public OnnxTensor step() throws OrtException {
        int next = 1 - current;
        try (OrtSession.Result r = stepSession.run(Map.of("X", stepX, "initial_h", h[current], "initial_c",
                c[current]), Map.of("Y_h", h[next], "Y_c", c[next]))) {
            current = next;
            return h[current];
        }
    }

    @Benchmark
    @OperationsPerInvocation(TIME)
    public float forward() throws OrtException {
        try (OrtSession.Result r = sequenceSession.run(Map.of("X", sequenceX, "initial_h", zeroH, "initial_c",
                zeroC))) {
            return ((OnnxTensor) r.get(1)).getFloatBuffer().get(0);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
        stepSession.close();
        sequenceSession.close();
    }
}
