package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.junit.jupiter.api.Test;

/** Optimizers over several steps against PyTorch's update rules in double, and the learning-rate schedules. */
class OptimizerTest {
    private final Backend backend = Backends.get("scalar");

    private static Parameters vector(float... values) {
        Parameters p = Parameters.builder("p").add("x", 1, values.length).build();
        System.arraycopy(values, 0, p.values(), 0, values.length);
        return p;
    }

    /** Gradient of f(x) = Σ (i+1)·x_i² / 2 + x_i. */
    private static void gradient(Parameters p) {
        for (int i = 0; i < p.size(); i++) {
            p.gradients()[i] = (i + 1) * p.values()[i] + 1;
        }
    }

    /** One step of an update rule in double: returns the next point, updating {@code state} in place. */
    private interface Rule {
        double[] apply(double[] x, double[] g, double[] state);
    }

    private void assertFollows(Optimizer optimizer, Rule rule) {
        Parameters p = vector(1f, -2f, 0.5f);
        double[] x = {1, -2, 0.5};
        double[] state = new double[3];
        for (int step = 0; step < 5; step++) {
            gradient(p);
            double[] g = new double[3];
            for (int i = 0; i < 3; i++) {
                g[i] = (i + 1) * x[i] + 1;
            }
            optimizer.step(List.of(p));
            x = rule.apply(x, g, state);
            for (int i = 0; i < 3; i++) {
                assertEquals(x[i], p.values()[i], 1e-5 * (1 + Math.abs(x[i])), optimizer.name() + " step " + step);
            }
        }
    }

    @Test
    void sgdWithMomentumAndNesterovFollowPyTorch() {
        for (boolean nesterov : new boolean[] {false, true}) {
            float lr = 0.05f;
            float mu = 0.9f;
            float wd = 0.01f;
            assertFollows(new Sgd(backend, LearningRate.constant(lr), mu, nesterov, wd), (x, g, u) -> {
                double[] next = x.clone();
                for (int i = 0; i < 3; i++) {
                    double d = g[i] + wd * x[i];
                    u[i] = mu * u[i] + d;
                    next[i] = x[i] - lr * (nesterov ? d + mu * u[i] : u[i]);
                }
                return next;
            });
        }
    }

    @Test
    void rmsPropFollowsPyTorch() {
        float lr = 0.01f;
        float rho = 0.9f;
        assertFollows(new RmsProp(backend, LearningRate.constant(lr), rho, 1e-8f, 0f), (x, g, s) -> {
            double[] next = x.clone();
            for (int i = 0; i < 3; i++) {
                s[i] = rho * s[i] + (1 - rho) * g[i] * g[i];
                next[i] = x[i] - lr * g[i] / (Math.sqrt(s[i]) + 1e-8);
            }
            return next;
        });
    }

    @Test
    void schedulesGiveTheirDocumentedRates() {
        LearningRate step = LearningRate.stepDecay(0.1f, 10, 0.5f);
        assertEquals(0.1f, step.at(0));
        assertEquals(0.1f, step.at(9));
        assertEquals(0.05f, step.at(10), 1e-9);
        assertEquals(0.025f, step.at(25), 1e-9);
        LearningRate exp = LearningRate.exponential(1f, 0.5f);
        assertEquals(0.125f, exp.at(3), 1e-9);
        LearningRate cosine = LearningRate.cosine(1f, 100, 0.1f);
        assertEquals(1f, cosine.at(0), 1e-7);
        assertEquals(0.55f, cosine.at(50), 1e-6);
        assertEquals(0.1f, cosine.at(100), 1e-7);
        assertEquals(0.1f, cosine.at(1000), 1e-7);
        LearningRate warm = cosine.withWarmup(4);
        assertEquals(0.2f, warm.at(0), 1e-7);
        assertEquals(0.8f, warm.at(3), 1e-7);
        assertEquals(1f, warm.at(4), 1e-7);
        assertEquals(0.55f, warm.at(54), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> LearningRate.cosine(0.1f, 10, 1f));
        assertThrows(IllegalArgumentException.class, () -> LearningRate.stepDecay(0.1f, 0, 0.5f));
        assertThrows(IllegalArgumentException.class, () -> LearningRate.exponential(0.1f, 1.5f));
    }

    @Test
    void theOptimizerUsesItsSchedule() {
        Parameters p = vector(0f);
        p.gradients()[0] = 1f;
        Sgd sgd = new Sgd(backend, LearningRate.stepDecay(1f, 1, 0.5f), 0f, false, 0f);
        sgd.step(List.of(p));
        sgd.step(List.of(p));
        assertEquals(-1.5f, p.values()[0]);
        assertEquals(0.25f, sgd.currentLearningRate());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Sgd(backend, s -> -1f, 0f, false, 0f).step(List.of(p)));
        assertEquals("step 1: the learning-rate schedule gave -1.0, expected a finite rate > 0; no parameter was "
                + "changed", e.getMessage());
        assertEquals(-1.5f, p.values()[0]);
    }
}
