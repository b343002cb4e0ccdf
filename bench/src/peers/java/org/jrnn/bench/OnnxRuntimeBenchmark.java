package org.jrnn.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.jrnn.core.OutputMode;
import org.jrnn.core.RecurrentLayer;
import org.jrnn.core.RecurrentOutput;
import org.jrnn.spi.Backends;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * ONNX Runtime (Java API, CPU provider) running a one-node ONNX recurrent operator that the benchmark writes with
 * jrnn's weights ({@link OnnxRecurrentModel}): one streaming step (sequence length 1, the states fed back) and a
 * forward pass over T = 100, µs per time step. Before timing, ONNX Runtime's outputs and final states are checked
 * against jrnn's. ONNX Runtime's training API needs artifacts made by its Python tooling, so there is no training
 * workload.
 */
public abstract class OnnxRuntimeBenchmark extends PeerShape {

    private OrtEnvironment env;
    private OrtSession stepSession;
    private OrtSession sequenceSession;
    private OnnxTensor stepX;
    private OnnxTensor sequenceX;
    /** Two sets of state tensors, read and written in turn by the streaming step. */
    private final OnnxTensor[][] states = new OnnxTensor[2][];
    private final Map<String, OnnxTensor>[] stepInputs = newMaps();
    private final Map<String, OnnxTensor>[] stepOutputs = newMaps();
    private Map<String, OnnxTensor> sequenceInputs;
    private int current;

    /** The operator the model holds; jrnn's layer of the same cell is the reference. */
    abstract OnnxRecurrentModel.Cell cell();

    @SuppressWarnings("unchecked")
    private static Map<String, OnnxTensor>[] newMaps() {
        return new Map[2];
    }

    @Setup(Level.Trial)
    public void setup() throws OrtException {
        env = OrtEnvironment.getEnvironment();
        OnnxRecurrentModel.Cell cell = cell();
        RecurrentLayer layer = BenchSupport.layer(cell.name().toLowerCase(java.util.Locale.ROOT), Backends.get(),
                hidden, OutputMode.SEQUENCE);
        var p = layer.parameters();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        stepSession = env.createSession(OnnxRecurrentModel.build(cell, hidden, hidden, 1, batch, p.get("weight_ih"),
                p.get("weight_hh"), p.get("bias_ih"), p.get("bias_hh")), options);
        sequenceSession = env.createSession(OnnxRecurrentModel.build(cell, hidden, hidden, TIME, batch,
                p.get("weight_ih"), p.get("weight_hh"), p.get("bias_ih"), p.get("bias_hh")), options);
        float[] x = BenchSupport.uniform(1, batch * TIME * hidden, 1);
        List<String> names = cell.states;
        float[][] initial = new float[names.size()][];
        for (int s = 0; s < initial.length; s++) {
            initial[s] = BenchSupport.uniform(2 + s, batch * hidden, 0.5);
        }
        // ONNX is time-major: X [T][B][X]
        float[] timeMajor = PeerSupport.transpose(x, batch, TIME, hidden);
        sequenceX = tensor(timeMajor, TIME, batch, hidden);
        stepX = tensor(Arrays.copyOf(timeMajor, batch * hidden), 1, batch, hidden);
        sequenceInputs = new HashMap<>(Map.of("X", sequenceX));
        for (int k = 0; k < 2; k++) {
            states[k] = new OnnxTensor[names.size()];
            for (int s = 0; s < names.size(); s++) {
                states[k][s] = tensor(initial[s], 1, batch, hidden);
            }
        }
        for (int s = 0; s < names.size(); s++) {
            sequenceInputs.put(names.get(s), tensor(initial[s], 1, batch, hidden));
        }
        for (int k = 0; k < 2; k++) {
            stepInputs[k] = new HashMap<>(Map.of("X", stepX));
            stepOutputs[k] = new HashMap<>();
            for (int s = 0; s < names.size(); s++) {
                stepInputs[k].put(names.get(s), states[k][s]);
                stepOutputs[k].put(cell.stateOutputs.get(s), states[1 - k][s]);
            }
        }
        RecurrentOutput expected = layer.forward(x, batch, TIME, null, initial[0],
                initial.length > 1 ? initial[1] : null);
        String what = "ONNX Runtime " + cell.name();
        try (OrtSession.Result r = sequenceSession.run(sequenceInputs)) {
            PeerSupport.requireAgreement(what + " output", PeerSupport.transpose(expected.output(), batch, TIME,
                    hidden), ((OnnxTensor) r.get(0)).getFloatBuffer().array());
            PeerSupport.requireAgreement(what + " Y_h", expected.hN(), ((OnnxTensor) r.get(1)).getFloatBuffer().array());
            if (cell == OnnxRecurrentModel.Cell.LSTM) {
                PeerSupport.requireAgreement(what + " Y_c", expected.cN(),
                        ((OnnxTensor) r.get(2)).getFloatBuffer().array());
            }
        }
    }

    private OnnxTensor tensor(float[] values, long... shape) throws OrtException {
        FloatBuffer buffer = ByteBuffer.allocateDirect(4 * values.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
        buffer.put(values).rewind();
        return OnnxTensor.createTensor(env, buffer, shape);
    }

    /** One step: the states ping-pong between two sets of tensors, the outputs written into the other set. */
    @Benchmark
    public OnnxTensor step() throws OrtException {
        int next = 1 - current;
        try (OrtSession.Result r = stepSession.run(stepInputs[current], stepOutputs[current])) {
            current = next;
            return states[current][0];
        }
    }

    @Benchmark
    @OperationsPerInvocation(TIME)
    public float forward() throws OrtException {
        try (OrtSession.Result r = sequenceSession.run(sequenceInputs)) {
            return ((OnnxTensor) r.get(1)).getFloatBuffer().get(0);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
        stepSession.close();
        sequenceSession.close();
    }
}
