package org.jrnn.simd;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.jrnn.spi.Activations;
import org.jrnn.spi.Gates;
import org.jrnn.spi.MatrixOps;
import org.jrnn.spi.RnnActivation;
import org.jrnn.spi.VectorOps;

/**
 * Run by {@link SteadyStateAllocationTest} in a JVM of its own, one vector width per JVM as in use: calls every
 * element-wise kernel of {@code new SimdBackend(bits)} in rounds until a round allocates nothing, at batch 1 and 64
 * and hidden 101 (a partial last vector at every width) and 128. Prints {@code ALLOCATING <kernel> ...} for a
 * kernel that still allocates after {@value #PATIENCE_SECONDS} s of calls, then {@code DONE}.
 * <p>
 * One JVM per width, as a program uses one: kernels of several widths in one JVM share the Vector API's own
 * methods and their profiles, and after the 128-bit kernels had run, C2 boxed the vectors of some 256-bit ones
 * (gruCandidateForward, tanh, rnnForward at hidden 101, 624-1248 B per batch-1 call), something a program using
 * one width never meets.
 */
public final class SteadyStateProgram {
    static final int PATIENCE_SECONDS = 20;
    private static final int ROUND = 200;

    private SteadyStateProgram() {
    }

    public static void main(String[] args) {
        int bits = Integer.parseInt(args[0]);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int hidden : new int[] {101, 128}) {
            for (int batch : new int[] {1, 64}) {
                for (Map.Entry<String, Runnable> kernel : kernels(new SimdBackend(bits), batch, hidden).entrySet()) {
                    long perRound = roundsUntilNoAllocation(threads, kernel.getValue());
                    if (perRound != 0) {
                        System.out.println("ALLOCATING " + kernel.getKey() + " at " + bits + " bits, batch " + batch
                                + ", hidden " + hidden + ": " + perRound / ROUND + " B per call");
                    }
                }
            }
        }
        System.out.println("DONE");
    }

    /** Bytes the last round allocated: 0 once a round allocates nothing, else the last round's after the patience. */
    private static long roundsUntilNoAllocation(ThreadMXBean threads, Runnable kernel) {
        long deadline = System.nanoTime() + PATIENCE_SECONDS * 1_000_000_000L;
        while (true) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < ROUND; i++) {
                kernel.run();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (allocated == 0 || System.nanoTime() > deadline) {
                return allocated;
            }
        }
    }

    /** Every element-wise kernel of the backend on rows of {@code hidden} units (gate blocks side by side). */
    static Map<String, Runnable> kernels(SimdBackend backend, int batch, int hidden) {
        Gates g = backend.gates();
        Activations act = backend.activations();
        VectorOps vec = backend.vectors();
        MatrixOps mat = backend.matrix();
        int n = Math.max(batch * 4 * hidden, hidden * hidden);
        Random random = new Random(7);
        float[][] a = new float[8][n];
        for (float[] x : a) {
            for (int i = 0; i < n; i++) {
                x[i] = (float) (0.5 * random.nextGaussian());
            }
        }
        float[] x0 = a[0], x1 = a[1], x2 = a[2], x3 = a[3], x4 = a[4], x5 = a[5], x6 = a[6], x7 = a[7];
        int h4 = 4 * hidden;
        int h3 = 3 * hidden;
        int rows = batch * hidden;
        Map<String, Runnable> k = new LinkedHashMap<>();
        k.put("lstmForward", () -> g.lstmForward(batch, hidden, x0, 0, h4, x1, 0, hidden, x2, 0, hidden, x3, 0,
                hidden, x4, 0, hidden));
        k.put("lstmBackward", () -> g.lstmBackward(batch, hidden, x0, 0, h4, x1, 0, hidden, x2, 0, hidden, x3, 0,
                hidden, x4, 0, hidden, x5, 0, h4, x6, 0, hidden));
        k.put("gruForward", () -> g.gruForward(batch, hidden, x0, 0, h3, x1, 0, h3, x2, 0, hidden, x3, 0, hidden));
        k.put("gruBackward", () -> g.gruBackward(batch, hidden, x0, 0, h3, x1, 0, h3, x2, 0, hidden, x3, 0, hidden,
                x4, 0, h3, x5, 0, h3, x6, 0, hidden));
        k.put("gruResetForward", () -> g.gruResetForward(batch, hidden, x0, 0, h3, x1, 0, h3, x2, 0, hidden, x3, 0,
                hidden));
        k.put("gruCandidateForward", () -> g.gruCandidateForward(batch, hidden, x0, 0, h3, x1, 0, hidden, x2, 0,
                hidden, x3, 0, hidden));
        k.put("gruCandidateBackward", () -> g.gruCandidateBackward(batch, hidden, x0, 0, h3, x1, 0, hidden, x2, 0,
                hidden, x3, 0, h3, x4, 0, hidden));
        k.put("gruResetBackward", () -> g.gruResetBackward(batch, hidden, x0, 0, h3, x1, 0, hidden, x2, 0, hidden,
                x3, 0, h3, x4, 0, hidden));
        for (RnnActivation f : RnnActivation.values()) {
            k.put("rnnForward " + f, () -> g.rnnForward(f, batch, hidden, x0, 0, hidden, x1, 0, hidden));
            k.put("rnnBackward " + f, () -> g.rnnBackward(f, batch, hidden, x0, 0, hidden, x1, 0, hidden, x2, 0,
                    hidden));
        }
        k.put("sigmoid", () -> act.sigmoid(rows, x0, 0, x1, 0));
        k.put("tanh", () -> act.tanh(rows, x0, 0, x1, 0));
        k.put("relu", () -> act.relu(rows, x0, 0, x1, 0));
        k.put("sigmoidBackward", () -> act.sigmoidBackward(rows, x0, 0, x1, 0, x2, 0));
        k.put("tanhBackward", () -> act.tanhBackward(rows, x0, 0, x1, 0, x2, 0));
        k.put("reluBackward", () -> act.reluBackward(rows, x0, 0, x1, 0, x2, 0));
        k.put("softmax", () -> act.softmax(batch, hidden, x0, 0, hidden, x1, 0, hidden));
        k.put("logSoftmax", () -> act.logSoftmax(batch, hidden, x0, 0, hidden, x1, 0, hidden));
        k.put("softmaxBackward", () -> act.softmaxBackward(batch, hidden, x0, 0, hidden, x1, 0, hidden, x2, 0,
                hidden));
        k.put("logSoftmaxBackward", () -> act.logSoftmaxBackward(batch, hidden, x0, 0, hidden, x1, 0, hidden, x2,
                0, hidden));
        k.put("axpy", () -> vec.axpy(rows, 1e-3f, x0, 0, x1, 0));
        k.put("scale", () -> vec.scale(rows, 1f, x0, 0));
        k.put("dot", () -> vec.dot(rows, x0, 0, x1, 0));
        k.put("sumOfSquares", () -> vec.sumOfSquares(rows, x0, 0));
        k.put("multiply", () -> vec.multiply(rows, x7, 0, x6, 0));
        k.put("clamp", () -> vec.clamp(rows, -5f, 5f, x0, 0));
        k.put("adam", () -> vec.adam(rows, 1e-6f, 0.9f, 0.999f, 1e-8f, 0f, 0.5f, 0.5f, x0, 0, x1, 0, x2, 0, x3, 0));
        k.put("momentum", () -> vec.momentum(rows, 1e-6f, 0.9f, false, 1e-4f, x0, 0, x1, 0, x2, 0));
        k.put("momentum nesterov", () -> vec.momentum(rows, 1e-6f, 0.9f, true, 1e-4f, x0, 0, x1, 0, x2, 0));
        k.put("rmsProp", () -> vec.rmsProp(rows, 1e-6f, 0.9f, 1e-8f, 0f, x0, 0, x1, 0, x2, 0));
        float[] packed = new float[mat.packedSize(hidden, hidden)];
        mat.pack(true, hidden, hidden, x1, 0, hidden, packed, 0);
        k.put("gemm A·Bᵀ", () -> mat.gemm(false, true, batch, hidden, hidden, 1f, x0, 0, hidden, x1, 0, hidden, 0f,
                x2, 0, hidden));
        k.put("gemm A·B", () -> mat.gemm(false, false, batch, hidden, hidden, 1f, x0, 0, hidden, x1, 0, hidden, 0.5f,
                x2, 0, hidden));
        k.put("gemm Aᵀ·B", () -> mat.gemm(true, false, hidden, hidden, batch, 1f, x0, 0, hidden, x1, 0, hidden, 1f,
                x2, 0, hidden));
        k.put("gemmPacked", () -> mat.gemmPacked(false, batch, hidden, hidden, 1f, x0, 0, hidden, packed, 0, 0f,
                x2, 0, hidden));
        // an input projection's form: onto the bias row (x3 from 0), C written without being read
        k.put("gemmPackedBias", () -> mat.gemmPackedBias(false, batch, hidden, hidden, 1f, x0, 0, hidden, packed, 0,
                x3, 0, x2, 0, hidden));
        // a weight gradient's form: B (the inputs of the steps) packed in the call, A transposed
        float[] packedRows = new float[mat.packedSize(batch, hidden)];
        k.put("pack", () -> mat.pack(false, batch, hidden, x1, 0, hidden, packedRows, 0));
        k.put("gemmPacked Aᵀ", () -> mat.gemmPacked(true, hidden, hidden, batch, 1f, x0, 0, hidden, packedRows, 0,
                1f, x2, 0, hidden));
        k.put("gemv", () -> mat.gemv(false, hidden, hidden, 1f, x1, 0, hidden, x0, 0, 0f, x2, 0));
        k.put("gemv transposed", () -> mat.gemv(true, hidden, hidden, 1f, x1, 0, hidden, x0, 0, 0f, x2, 0));
        return k;
    }
}
