package org.jrnn.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import org.jrnn.core.OutputMode;
import org.jrnn.core.RecurrentLayer;
import org.jrnn.core.RecurrentOutput;
import org.jrnn.spi.Backends;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * PyTorch's CPU GRU (libtorch 2.7.1 through DJL 0.35.1, offline) on jrnn's GRU workloads, µs per time step:
 * one streaming step (the GRU operator on a length-1 sequence, {@code stepLayer}), a forward pass over T = 100
 * ({@code forward}) and forward + backward over T = 100 ({@code forwardBackward}, the gradient of
 * {@code Σ output·dOutput}). Gate order r, z, n and the reset gate applied after the recurrent product are
 * PyTorch's and jrnn's alike; before timing, PyTorch's outputs are checked against jrnn's.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true",
        "-DDJL_CACHE_DIR=bench/target/djl-cache", "-DENGINE_CACHE_DIR=bench/target/djl-cache"})
public class PyTorchGruBenchmark extends PeerShape {

    private NDManager manager;
    private NDList params;
    private PtNDArray sequence;
    private PtNDArray stepInput;
    private PtNDArray dOutput;
    private PtNDArray h;
    private PtNDArray h0;

    @Setup(Level.Trial)
    public void setup() {
        manager = PeerSupport.startPyTorch(threads);
        RecurrentLayer layer = BenchSupport.layer("gru", Backends.get(), hidden, OutputMode.SEQUENCE);
        var p = layer.parameters();
        int g = 3 * hidden;
        params = new NDList(manager.create(p.get("weight_ih"), new Shape(g, hidden)),
                manager.create(p.get("weight_hh"), new Shape(g, hidden)), manager.create(p.get("bias_ih"), new Shape(g)),
                manager.create(p.get("bias_hh"), new Shape(g)));
        float[] x = BenchSupport.uniform(1, batch * TIME * hidden, 1);
        float[] hInit = BenchSupport.uniform(2, batch * hidden, 0.5);
        sequence = (PtNDArray) manager.create(x, new Shape(batch, TIME, hidden));
        stepInput = (PtNDArray) manager.create(java.util.Arrays.copyOf(x, batch * hidden), new Shape(batch, 1, hidden));
        dOutput = (PtNDArray) manager.create(BenchSupport.uniform(4, batch * TIME * hidden, 1),
                new Shape(batch, TIME, hidden));
        h0 = (PtNDArray) manager.create(hInit, new Shape(1, batch, hidden));
        h = (PtNDArray) h0.duplicate();
        RecurrentOutput expected = layer.forward(x, batch, TIME, null, hInit, null);
        JniUtils.setGradMode(false);
        NDList out = gru(sequence, h0, false);
        PeerSupport.requireAgreement("PyTorch GRU output", expected.output(), out.get(0).toFloatArray());
        PeerSupport.requireAgreement("PyTorch GRU h_n", expected.hN(), out.get(1).toFloatArray());
        out.close();
    }

    private NDList gru(PtNDArray input, PtNDArray hx, boolean training) {
        return JniUtils.gru(input, hx, params, true, 1, 0.0, training, false, true);
    }

    @Benchmark
    public NDArray stepLayer() {
        NDList out = gru(stepInput, h, false);
        out.get(0).close();
        h.close();
        h = (PtNDArray) out.get(1);
        return h;
    }

    @Benchmark
    @OperationsPerInvocation(TIME)
    public float forward() {
        try (NDList out = gru(sequence, h0, false)) {
            return out.get(1).getFloat(0, 0, 0);
        }
    }

    @Benchmark
    @OperationsPerInvocation(TIME)
    public NDArray forwardBackward() {
        return PeerSupport.pyTorchGradients(manager, params, dOutput, () -> gru(sequence, h0, true));
    }

    @TearDown(Level.Trial)
    public void close() {
        manager.close();
    }
}
