package org.jrnn.simd;

import org.jrnn.spi.Activations;
import org.jrnn.spi.Gates;
import org.jrnn.spi.MatrixOps;
import org.jrnn.spi.VectorOps;

/** Every primitive for one vector width, plus the loops the benchmarks measure the machine with. */
interface WidthKernels extends MatrixOps, Activations, Gates, VectorOps {
    /** The vector width in bits. */
    int bits();

    /** tanh with the JDK's lanewise {@code TANH} instead of the rational approximation the backend uses. */
    void tanhLibrary(int n, float[] x, int xOff, float[] y, int yOff);

    /** Runs sixteen independent FMA chains for {@code iterations} rounds: {@code 32·lanes} flops per round. */
    float fmaPeak(long iterations);

    /** Reads every element of {@code x} once with vector loads and returns their sum. */
    float readAll(float[] x);
}
