package org.jrnn.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import org.jrnn.core.RecurrentLayer;
import org.jrnn.core.RecurrentOutput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * PyTorch's CPU LSTM (libtorch 2.7.1 through DJL 0.35.1, offline) on jrnn's workloads, µs per time step: one
 * streaming step called the two ways a user would — the LSTM operator on a length-1 sequence
 * ({@code stepLayer}) and the cell written as two matrix products plus the gate arithmetic ({@code stepCell});
 * a forward pass over T = 100 ({@code forward}); and forward + backward over T = 100 ({@code forwardBackward},
 * the gradient of {@code Σ output·dOutput}). Before timing, PyTorch's outputs are checked against jrnn's.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true",
        "-DDJL_CACHE_DIR=bench/target/djl-cache", "-DENGINE_CACHE_DIR=bench/target/djl-cache"})
public class PyTorchLstmBenchmark extends PeerShape {

    private NDManager manager;
    private NDList params;
    private PtNDArray sequence;
    private PtNDArray stepInput;
    private PtNDArray dOutput;
    private NDArray h;
    private NDArray c;
    private NDArray h0;
    private NDArray c0;
    private NDArray wIhT;
    private NDArray wHhT;
    private NDArray bias;

    @Setup(Level.Trial)
    public void setup() {
        manager = PeerSupport.startPyTorch(threads);
        RecurrentLayer layer = PeerSupport.reference(hidden);
        var p = layer.parameters();
        int g = 4 * hidden;
        params = new NDList(manager.create(p.get("weight_ih"), new Shape(g, hidden)),
                manager.create(p.get("weight_hh"), new Shape(g, hidden)), manager.create(p.get("bias_ih"), new Shape(g)),
                manager.create(p.get("bias_hh"), new Shape(g)));
        float[] x = BenchSupport.uniform(1, batch * TIME * hidden, 1);
        float[] hInit = BenchSupport.uniform(2, batch * hidden, 0.5);
        float[] cInit = BenchSupport.uniform(3, batch * hidden, 0.5);
        sequence = (PtNDArray) manager.create(x, new Shape(batch, TIME, hidden));
        stepInput = (PtNDArray) manager.create(java.util.Arrays.copyOf(x, batch * hidden), new Shape(batch, 1, hidden));
        dOutput = (PtNDArray) manager.create(BenchSupport.uniform(4, batch * TIME * hidden, 1),
                new Shape(batch, TIME, hidden));
        h0 = manager.create(hInit, new Shape(1, batch, hidden));
        c0 = manager.create(cInit, new Shape(1, batch, hidden));
        h = h0.duplicate();
        c = c0.duplicate();
        wIhT = params.get(0).transpose();
        wHhT = params.get(1).transpose();
        bias = params.get(2).add(params.get(3));
        RecurrentOutput expected = PeerSupport.referenceForward(layer, x, batch, TIME, hInit, cInit);
        JniUtils.setGradMode(false);
        NDList out = lstm(sequence, h0, c0, false);
        PeerSupport.requireAgreement("PyTorch LSTM output", expected.output(), out.get(0).toFloatArray());
        PeerSupport.requireAgreement("PyTorch LSTM h_n", expected.hN(), out.get(1).toFloatArray());
        PeerSupport.requireAgreement("PyTorch LSTM c_n", expected.cN(), out.get(2).toFloatArray());
        out.close();
        NDArray[] cell = cell(stepInput.reshape(batch, hidden), h0.reshape(batch, hidden), c0.reshape(batch, hidden));
        RecurrentOutput first = PeerSupport.referenceForward(layer, java.util.Arrays.copyOf(x, batch * hidden),
                batch, 1, hInit, cInit);
        PeerSupport.requireAgreement("PyTorch LSTM cell h", first.hN(), cell[0].toFloatArray());
        PeerSupport.requireAgreement("PyTorch LSTM cell c", first.cN(), cell[1].toFloatArray());
        cell[0].close();
        cell[1].close();
    }

    private NDList lstm(PtNDArray input, NDArray hx, NDArray cx, boolean training) {
        return JniUtils.lstm(input, new NDList(hx, cx), params, true, 1, 0.0, training, false, true);
    }

    /** The cell as two products and the gate arithmetic; returns the new h and c ([batch][hidden]). */
    private NDArray[] cell(NDArray x, NDArray hPrev, NDArray cPrev) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray xs = x.matMul(wIhT);
            xs.attach(scratch);
            NDArray hs = hPrev.matMul(wHhT);
            hs.attach(scratch);
            NDArray gates = xs.add(hs).addi(bias);
            gates.attach(scratch);
            NDList split = gates.split(4, 1);
            split.attach(scratch);
            NDArray i = Activation.sigmoid(split.get(0));
            NDArray f = Activation.sigmoid(split.get(1));
            NDArray gg = split.get(2).tanh();
            NDArray o = Activation.sigmoid(split.get(3));
            for (NDArray a : new NDArray[] {i, f, gg, o}) {
                a.attach(scratch);
            }
            NDArray cNew = f.mul(cPrev).addi(i.mul(gg));
            NDArray hNew = o.mul(cNew.tanh());
            cNew.attach(manager);
            hNew.attach(manager);
            return new NDArray[] {hNew, cNew};
        }
    }

    @Benchmark
    public NDArray stepLayer() {
        NDList out = lstm(stepInput, h, c, false);
        out.get(0).close();
        h.close();
        c.close();
        h = out.get(1);
        c = out.get(2);
        return h;
    }

    @Benchmark
    public NDArray stepCell() {
        NDArray[] next = cell(stepInput.reshape(batch, hidden), h.reshape(batch, hidden), c.reshape(batch, hidden));
        h.close();
        c.close();
        h = next[0].reshape(1, batch, hidden);
        c = next[1].reshape(1, batch, hidden);
        next[0].close();
        next[1].close();
        return h;
    }

    @Benchmark
    @OperationsPerInvocation(TIME)
    public float forward() {
        try (NDList out = lstm(sequence, h0, c0, false)) {
            return out.get(1).getFloat(0, 0, 0);
        }
    }

    @Benchmark
    @OperationsPerInvocation(TIME)
    public NDArray forwardBackward() {
        return PeerSupport.pyTorchGradients(manager, params, dOutput, () -> lstm(sequence, h0, c0, true));
    }

    @TearDown(Level.Trial)
    public void close() {
        manager.close();
    }
}
