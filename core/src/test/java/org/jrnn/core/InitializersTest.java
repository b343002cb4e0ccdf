package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.jrnn.spi.Backends;
import org.junit.jupiter.api.Test;

class InitializersTest {
    @Test
    void orthogonalHasOrthonormalRows() {
        for (int n : new int[] {1, 2, 7, 16, 33}) {
            float[] w = new float[n * n];
            Initializers.orthogonal(w, 0, n, new SplittableRandom(n));
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    double dot = 0;
                    for (int c = 0; c < n; c++) {
                        dot += (double) w[a * n + c] * w[b * n + c];
                    }
                    assertEquals(a == b ? 1 : 0, dot, 1e-5, "row " + a + " . row " + b + " for n=" + n);
                }
            }
        }
    }

    @Test
    void glorotStaysWithinItsLimitAndIsSeeded() {
        float[] w = new float[40 * 10];
        Initializers.glorotUniform(w, 0, 40, 10, 10, 40, new SplittableRandom(9));
        double limit = Math.sqrt(6.0 / 50);
        double max = 0;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= limit && max > 0.9 * limit, "max |w| = " + max + ", limit " + limit);
        float[] again = new float[w.length];
        Initializers.glorotUniform(again, 0, 40, 10, 10, 40, new SplittableRandom(9));
        assertArrayEquals(w, again);
    }

    @Test
    void lstmInitializationSetsForgetBiasToOne() {
        LstmLayer lstm = new LstmLayer(Backends.get("scalar"), 3, 5, OutputMode.LAST).initialize(1);
        float[] bIh = lstm.parameters().get(RecurrentLayer.BIAS_IH);
        float[] bHh = lstm.parameters().get(RecurrentLayer.BIAS_HH);
        for (int j = 0; j < 20; j++) {
            float expected = j >= 5 && j < 10 ? 1f : 0f;
            assertEquals(expected, bIh[j] + bHh[j], "combined bias of gate column " + j);
        }
    }
}
