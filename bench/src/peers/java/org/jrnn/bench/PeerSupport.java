package org.jrnn.bench;

import java.util.function.Supplier;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import org.jrnn.core.OutputMode;
import org.jrnn.core.RecurrentLayer;
import org.jrnn.core.RecurrentOutput;
import org.jrnn.spi.Backends;

/**
 * What the peer benchmarks share: the jrnn LSTM whose weights they copy (the same seeds as jrnn's own
 * benchmarks), its reference outputs, and the agreement check that runs before anything is timed.
 */
final class PeerSupport {
    /** Largest absolute difference between a peer's outputs and jrnn's, for the same weights and inputs. */
    static final double AGREEMENT = 1e-4;

    private PeerSupport() {
    }

    /** jrnn's LSTM with the weights every peer copies: input = hidden, initialised from seed 42. */
    static RecurrentLayer reference(int hidden) {
        return BenchSupport.layer("lstm", Backends.get(), hidden, OutputMode.SEQUENCE);
    }

    /** jrnn's outputs for batch-major {@code x [batch][seq][hidden]} from states {@code h0}, {@code c0}. */
    static RecurrentOutput referenceForward(RecurrentLayer layer, float[] x, int batch, int seq, float[] h0, float[] c0) {
        return layer.forward(x, batch, seq, null, h0, c0);
    }

    /** {@code [A][B][W]} to {@code [B][A][W]}. */
    static float[] transpose(float[] a, int outer, int inner, int width) {
        float[] out = new float[a.length];
        for (int i = 0; i < outer; i++) {
            for (int j = 0; j < inner; j++) {
                System.arraycopy(a, (i * inner + j) * width, out, (j * outer + i) * width, width);
            }
        }
        return out;
    }

    /**
     * Starts libtorch (once per fork) with {@code threads} intra-op threads and one inter-op thread, as the
     * benchmark parameter says, and returns a manager on the CPU.
     */
    static NDManager startPyTorch(int threads) {
        // read by DJL when it starts libtorch
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Engine engine = Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
        System.out.println("# PyTorch " + engine.getVersion() + ", intra-op threads " + threads);
        return NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    /**
     * One training step without the optimizer on PyTorch's autograd: the gradients of {@code Σ output·dOutput}
     * with respect to {@code params}, where {@code forward} runs the layer in training mode and returns its
     * outputs (the sequence first). Returns the gradient of {@code params[1]} (W_hh).
     */
    static NDArray pyTorchGradients(NDManager manager, NDList params, NDArray dOutput, Supplier<NDList> forward) {
        JniUtils.setGradMode(true);
        for (NDArray p : params) {
            p.setRequiresGradient(true);
        }
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDList out = forward.get();
            NDArray loss = out.get(0).mul(dOutput).sum();
            collector.backward(loss);
            loss.close();
            out.close();
            return params.get(1).getGradient();
        } finally {
            JniUtils.setGradMode(false);
        }
    }

    /** Throws unless the peer's values agree with jrnn's within {@link #AGREEMENT}. */
    static void requireAgreement(String what, float[] jrnn, float[] peer) {
        if (jrnn.length != peer.length) {
            throw new IllegalStateException(what + ": jrnn has " + jrnn.length + " values, the peer " + peer.length);
        }
        double worst = 0;
        for (int i = 0; i < jrnn.length; i++) {
            worst = Math.max(worst, Math.abs((double) jrnn[i] - peer[i]));
        }
        if (!(worst <= AGREEMENT)) {
            throw new IllegalStateException(what + ": the peer differs from jrnn by " + worst + " (allowed "
                    + AGREEMENT + "); the two would not compute the same thing");
        }
        System.out.println("# " + what + ": agrees with jrnn within " + worst);
    }
}
