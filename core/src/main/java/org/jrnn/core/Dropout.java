package org.jrnn.core;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import org.jrnn.spi.Backend;

/**
 * Inverted dropout (Srivastava et al. 2014) on the features of every step: in training each value is kept with
 * probability {@code 1 − rate} and scaled by {@code 1 / (1 − rate)}, so that inference, where the layer passes
 * its input through unchanged, needs no rescaling. The mask of the n-th training pass is a function of the seed
 * and n, so a seeded run is reproducible and a run resumed from a checkpoint ({@link #passes()},
 * {@link #resume(long)}) continues with the same masks; {@link #freezeMask(boolean)} reuses the last mask (for
 * gradient checks).
 */
public final class Dropout implements SequenceLayer {
    private final Backend backend;
    private final int size;
    private final float rate;
    private final long seed;
    private long passes;
    private boolean frozen;
    /** Whether {@link #mask} holds a drawn mask. */
    private boolean drawn;
    private boolean lastTraining;
    private float[] mask;
    private float[] output;
    private float[] dInput;

    public Dropout(Backend backend, int size, float rate, long seed) {
        this.backend = Objects.requireNonNull(backend, "backend");
        if (size < 1) {
            throw new IllegalArgumentException("dropout: size must be >= 1, found " + size);
        }
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout: rate must be in [0, 1), found " + rate);
        }
        this.size = size;
        this.rate = rate;
        this.seed = seed;
    }

    public float rate() {
        return rate;
    }

    /** Masks drawn so far. */
    public long passes() {
        return passes;
    }

    /** Continues as if {@code passes} masks had been drawn (after loading a checkpoint). */
    public void resume(long passes) {
        if (passes < 0) {
            throw new IllegalArgumentException("dropout: passes must be >= 0, found " + passes);
        }
        this.passes = passes;
    }

    /** When on, training passes reuse the last mask instead of drawing a new one (same shape required). */
    public Dropout freezeMask(boolean on) {
        this.frozen = on;
        return this;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public boolean lastOnly() {
        return false;
    }

    @Override
    public float[] forward(float[] x, int batch, int time, int[] lengths, boolean training) {
        Objects.requireNonNull(x, "x");
        if (x.length != (long) batch * time * size) {
            throw new IllegalArgumentException("dropout: x must be [batch=" + batch + "][time=" + time + "][" + size
                    + "] = " + ((long) batch * time * size) + " values, found " + x.length);
        }
        int n = x.length;
        lastTraining = training && rate > 0;
        if (output == null || output.length != n) {
            if (frozen && mask != null) {
                throw new IllegalStateException("dropout: the frozen mask has " + mask.length
                        + " values, this input has " + n);
            }
            output = new float[n];
            dInput = new float[n];
            mask = new float[n];
            drawn = false;
        }
        if (lastTraining && !(frozen && drawn)) {
            drawMask();
        }
        System.arraycopy(x, 0, output, 0, n);
        if (lastTraining) {
            backend.vectors().multiply(n, mask, 0, output, 0);
        }
        return output;
    }

    private void drawMask() {
        SplittableRandom random = new SplittableRandom(seed + passes * 0x9E3779B97F4A7C15L);
        passes++;
        drawn = true;
        float keep = 1f / (1f - rate);
        for (int i = 0; i < mask.length; i++) {
            mask[i] = random.nextDouble() < rate ? 0f : keep;
        }
    }

    @Override
    public float[] backward(float[] dOutput) {
        if (output == null) {
            throw new IllegalStateException("dropout: backward called before forward");
        }
        if (dOutput.length != dInput.length) {
            throw new IllegalArgumentException("dropout: dOutput must have " + dInput.length + " values, found "
                    + dOutput.length);
        }
        System.arraycopy(dOutput, 0, dInput, 0, dInput.length);
        if (lastTraining) {
            backend.vectors().multiply(dInput.length, mask, 0, dInput, 0);
        }
        return dInput;
    }

    @Override
    public List<Parameters> parameters() {
        return List.of();
    }
}
