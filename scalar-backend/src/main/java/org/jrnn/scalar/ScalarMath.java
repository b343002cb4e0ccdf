package org.jrnn.scalar;

/** The scalar transcendentals: evaluated in double, rounded once to float (error at most 1 ulp). */
final class ScalarMath {
    private ScalarMath() {
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
    }

    static float tanh(float x) {
        return (float) Math.tanh(x);
    }
}
