package org.jrnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jrnn.spi.Activations;

/**
 * Measures the error of the SIMD transcendentals over a dense sweep of [-20, 20] (every 2⁻¹²) plus the
 * floats near zero, against double-precision references, and holds them to the bounds the
 * {@link SimdBackend} Javadoc states: tanh within 5 ulp, sigmoid within 3 ulp.
 */
class SimdAccuracyTest {
    private static final float[] SWEEP = sweep();

    private static float[] sweep() {
        int dense = 40 * 4096 + 1;
        int small = 2000;
        float[] x = new float[dense + 2 * small];
        for (int i = 0; i < dense; i++) {
            x[i] = -20f + i / 4096f;
        }
        float v = 1e-3f;
        for (int i = 0; i < small; i++) {
            x[dense + 2 * i] = v;
            x[dense + 2 * i + 1] = -v;
            v = v * 0.995f;
        }
        return x;
    }

    /** The largest error in ulps of the exact value. */
    private static double maxUlps(float[] y, DoubleUnaryOperator exact) {
        double worst = 0;
        for (int i = 0; i < SWEEP.length; i++) {
            double e = exact.applyAsDouble(SWEEP[i]);
            double err = Math.abs(y[i] - e);
            worst = Math.max(worst, err / Math.ulp((float) e));
        }
        return worst;
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void tanhIsWithinFiveUlps(int bits) {
        float[] y = new float[SWEEP.length];
        new SimdBackend(bits).activations().tanh(SWEEP.length, SWEEP, 0, y, 0);
        double ulps = maxUlps(y, Math::tanh);
        System.out.printf("simd-%d tanh (rational): max error %.2f ulp%n", bits, ulps);
        assertTrue(ulps <= 5, "tanh error " + ulps + " ulp exceeds the documented 5");
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void sigmoidIsWithinThreeUlps(int bits) {
        float[] y = new float[SWEEP.length];
        new SimdBackend(bits).activations().sigmoid(SWEEP.length, SWEEP, 0, y, 0);
        double ulps = maxUlps(y, x -> 1 / (1 + Math.exp(-x)));
        System.out.printf("simd-%d sigmoid: max error %.2f ulp%n", bits, ulps);
        assertTrue(ulps <= 3, "sigmoid error " + ulps + " ulp exceeds the documented 3");
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void libraryTanhIsMeasuredToo(int bits) {
        float[] y = new float[SWEEP.length];
        new SimdBackend(bits).measurements().tanhLibrary(SWEEP.length, SWEEP, 0, y, 0);
        double ulps = maxUlps(y, Math::tanh);
        System.out.printf("simd-%d tanh (JDK lanewise TANH): max error %.2f ulp%n", bits, ulps);
        assertTrue(ulps <= Activations.TRANSCENDENTAL_ULPS, "library tanh error " + ulps + " ulp");
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void specialValues(int bits) {
        Activations a = new SimdBackend(bits).activations();
        float[] x = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1e30f, -1e30f};
        float[] t = new float[x.length];
        float[] s = new float[x.length];
        a.tanh(x.length, x, 0, t, 0);
        a.sigmoid(x.length, x, 0, s, 0);
        assertTrue(Float.isNaN(t[0]) && Float.isNaN(s[0]), "NaN stays NaN");
        assertEquals(1f, t[1], 5e-7f);
        assertEquals(-1f, t[2], 5e-7f);
        assertEquals(0f, t[3]);
        assertEquals(1f, s[1]);
        assertEquals(0f, s[2]);
        assertEquals(0.5f, s[3]);
        assertEquals(1f, t[5], 5e-7f);
        assertEquals(0f, s[6]);
    }
}
