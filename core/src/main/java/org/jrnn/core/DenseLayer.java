package org.jrnn.core;

import java.util.Objects;
import java.util.SplittableRandom;

import org.jrnn.spi.Backend;

/**
 * A fully connected layer {@code y = x·Wᵀ + b} over rows, with PyTorch's {@code nn.Linear} layout:
 * {@code weight [out][in]}, {@code bias [out]}.
 */
public final class DenseLayer {
    public static final String WEIGHT = "weight";
    public static final String BIAS = "bias";

    private final Backend backend;
    private final int in;
    private final int out;
    private final Parameters parameters;
    private final int w;
    private final int b;
    private int rows;
    private float[] x;
    private float[] y;
    private float[] dx;
    private float[] ones;

    /** A layer with zero parameters; call {@link #initialize(long)} or load weights. */
    public DenseLayer(Backend backend, int in, int out) {
        this.backend = Objects.requireNonNull(backend, "backend");
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("dense: in and out must be >= 1, found in=" + in + " out=" + out);
        }
        this.in = in;
        this.out = out;
        this.parameters = Parameters.builder("dense").add(WEIGHT, out, in).add(BIAS, 1, out).build();
        this.w = parameters.tensor(WEIGHT).offset();
        this.b = parameters.tensor(BIAS).offset();
    }

    /** Glorot-uniform weights and zero bias, seeded. */
    public DenseLayer initialize(long seed) {
        Initializers.glorotUniform(parameters.values(), w, out, in, in, out, new SplittableRandom(seed));
        java.util.Arrays.fill(parameters.values(), b, b + out, 0f);
        return this;
    }

    public Parameters parameters() {
        return parameters;
    }

    public int inputSize() {
        return in;
    }

    public int outputSize() {
        return out;
    }

    /**
     * {@code y [rows][out] = x [rows][in]·Wᵀ + b}. The returned array belongs to the layer and is overwritten
     * by the next call. The input is copied, so the caller may reuse its array before {@link #backward}.
     */
    public float[] forward(float[] x, int rows) {
        Objects.requireNonNull(x, "x");
        if (rows < 1 || x.length != (long) rows * in) {
            throw new IllegalArgumentException("dense: x must be [rows=" + rows + "][in=" + in + "] = "
                    + ((long) rows * in) + " values, found " + x.length);
        }
        ensure(rows);
        System.arraycopy(x, 0, this.x, 0, x.length);
        float[] p = parameters.values();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(p, b, y, r * out, out);
        }
        backend.matrix().gemm(false, true, rows, out, in, 1f, this.x, 0, in, p, w, in, 1f, y, 0, out);
        return y;
    }

    /** Adds the parameter gradients for {@code dy [rows][out]} and returns {@code dx [rows][in]} (layer-owned). */
    public float[] backward(float[] dy) {
        if (this.x == null) {
            throw new IllegalStateException("dense: backward called before forward");
        }
        Objects.requireNonNull(dy, "dy");
        if (dy.length != rows * out) {
            throw new IllegalArgumentException("dense: dy must be [rows=" + rows + "][out=" + out + "] = "
                    + (rows * out) + " values, found " + dy.length);
        }
        float[] p = parameters.values();
        float[] g = parameters.gradients();
        backend.matrix().gemm(true, false, out, in, rows, 1f, dy, 0, out, x, 0, in, 1f, g, w, in);
        backend.matrix().gemv(true, rows, out, 1f, dy, 0, out, ones, 0, 1f, g, b);
        backend.matrix().gemm(false, false, rows, in, out, 1f, dy, 0, out, p, w, in, 0f, dx, 0, in);
        return dx;
    }

    private void ensure(int newRows) {
        if (newRows == rows) {
            return;
        }
        rows = newRows;
        x = new float[rows * in];
        y = new float[rows * out];
        dx = new float[rows * in];
        ones = new float[rows];
        java.util.Arrays.fill(ones, 1f);
    }
}
