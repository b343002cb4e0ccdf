package org.jrnn.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.jrnn.scalar.ScalarBackend;
import org.jrnn.spi.MatrixOps;
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
 * The matrix products of an LSTM layer at batch 64 (input size = hidden), with the layer's operands and kernels;
 * the {@code flops} counter reads as GFLOP/s, to set beside {@link PeakBenchmark}, {@code peakShare} as the fraction
 * of the highest FMA peak measured in the same fork before each iteration ({@link PeakShare}), and {@code bytes} as
 * the rate at which B (the weights, in every shape but the weight gradients) is read, in GB/s. The row counts of
 * {@code projection} and {@code weightGradient} are those of ten steps; a T = 100 pass projects 64 or 128 rows
 * per call (one step, or one block of rows) and multiplies the weight gradients over all 6400 rows at once.
 *
 * <ul>
 *   <li>{@code recurrent}: h·W_hhᵀ of one step, {@code [64, H] x [H, 4H]} (B transposed);</li>
 *   <li>{@code recurrentBatch1}: the same for one sequence, {@code [1, H] x [H, 4H]}: memory-bound, so the
 *       {@code bytes} counter (the weights read, as GB/s) is the figure to set beside
 *       {@link BandwidthBenchmark};</li>
 *   <li>{@code projection}: x·W_ihᵀ of ten steps at once, {@code [640, H] x [H, 4H]} (B transposed);</li>
 *   <li>{@code backwardData}: dGates·W_hh of one step, {@code [64, 4H] x [4H, H]};</li>
 *   <li>{@code weightGradient}: dGatesᵀ·h over ten steps, {@code [4H, 640] x [640, H]} (A transposed);</li>
 *   <li>{@code weightGradientPass}: the same over a T = 100 pass, {@code [4H, 6400] x [6400, H]}, as a backward
 *       pass of that length multiplies it.</li>
 * </ul>
 * With {@code kernel = packed} the product runs as the layer runs it now: on B packed by
 * {@link MatrixOps#pack} once beforehand (weights are packed once per pass and multiplied at every step),
 * except the weight gradients, whose B (the inputs of all steps) is packed in every call, as the layer
 * does once per backward pass. {@code plain} is {@link MatrixOps#gemm} on the unpacked matrices.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    static final int BATCH = 64;
    static final int ROWS = 10 * BATCH;
    static final int PASS_ROWS = 100 * BATCH;
    /** Rows of C checked against the scalar backend before timing, at each end. */
    static final int CHECKED_ROWS = 64;

    @Param({"simd"})
    public String backend;

    @Param({"64", "128", "256", "512", "1024"})
    public int hidden;

    @Param({"recurrent", "recurrentBatch1", "projection", "backwardData", "weightGradient", "weightGradientPass"})
    public String shape;

    @Param({"packed", "plain"})
    public String kernel;

    private MatrixOps matrix;
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;
    private float[] packed;
    private long flops;
    private long weightBytes;

    @Setup
    public void setup() {
        matrix = BenchSupport.backend(backend).matrix();
        int h = hidden;
        switch (shape) {
            case "recurrent" -> shape(false, true, BATCH, 4 * h, h);
            case "recurrentBatch1" -> shape(false, true, 1, 4 * h, h);
            case "projection" -> shape(false, true, ROWS, 4 * h, h);
            case "backwardData" -> shape(false, false, BATCH, h, 4 * h);
            case "weightGradient" -> shape(true, false, 4 * h, h, ROWS);
            case "weightGradientPass" -> shape(true, false, 4 * h, h, PASS_ROWS);
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        }
        a = BenchSupport.uniform(1, m * k, 1);
        b = BenchSupport.uniform(2, k * n, 1);
        c = new float[m * n];
        flops = 2L * m * n * k;
        weightBytes = 4L * k * n;
        if (kernel.equals("packed")) {
            packed = new float[matrix.packedSize(k, n)];
            pack();
        } else if (!kernel.equals("plain")) {
            throw new IllegalArgumentException("kernel must be packed or plain, found " + kernel);
        }
        run();
        // the scalar reference for the first and the last rows of C (the last row tiles and leftover rows): the
        // whole of weightGradientPass at H = 1024 would keep the scalar backend busy for minutes before every fork
        int first = Math.min(m, CHECKED_ROWS);
        checkRows(0, first);
        checkRows(Math.max(first, m - CHECKED_ROWS), m);
    }

    /** Rows {@code [i0, i1)} of C against the scalar backend's product. */
    private void checkRows(int i0, int i1) {
        if (i0 >= i1) {
            return;
        }
        float[] expected = new float[(i1 - i0) * n];
        new ScalarBackend().matrix().gemm(transA, transB, i1 - i0, n, k, 1f, a, transA ? i0 : i0 * k,
                transA ? m : k, b, 0, transB ? k : n, 0f, expected, 0, n);
        BenchSupport.requireAgreement("gemm " + shape + ", rows " + i0 + " to " + i1, expected,
                Arrays.copyOfRange(c, i0 * n, i1 * n));
    }

    private void shape(boolean ta, boolean tb, int rows, int cols, int depth) {
        transA = ta;
        transB = tb;
        m = rows;
        n = cols;
        k = depth;
    }

    private void pack() {
        matrix.pack(transB, k, n, b, 0, transB ? k : n, packed, 0);
    }

    private void run() {
        if (packed == null) {
            matrix.gemm(transA, transB, m, n, k, 1f, a, 0, transA ? m : k, b, 0, transB ? k : n, 0f, c, 0, n);
            return;
        }
        if (shape.startsWith("weightGradient")) {
            pack();
        }
        matrix.gemmPacked(transA, m, n, k, 1f, a, 0, transA ? m : k, packed, 0, 0f, c, 0, n);
    }

    @Benchmark
    public void gemm(Flops work, Bytes weights, PeakShare share) {
        run();
        work.flops += flops;
        share.add(flops);
        weights.bytes += weightBytes;
    }
}
