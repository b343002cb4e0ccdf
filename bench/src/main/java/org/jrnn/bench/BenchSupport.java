package org.jrnn.bench;

import java.util.SplittableRandom;
import org.jrnn.core.GruLayer;
import org.jrnn.core.LstmLayer;
import org.jrnn.core.OutputMode;
import org.jrnn.core.RecurrentLayer;
import org.jrnn.core.SimpleRnnLayer;
import org.jrnn.scalar.ScalarBackend;
import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.jrnn.spi.RnnActivation;

/** What every benchmark's setup shares: backends by name, layers, data, and the agreement check. */
final class BenchSupport {
    /** Largest difference allowed between a backend and the scalar reference, relative to the values' scale. */
    static final double AGREEMENT = 1e-4;

    private BenchSupport() {
    }

    /** The backend registered under {@code name}; prints its capabilities line. */
    static Backend backend(String name) {
        Backend backend = name.equals(ScalarBackend.NAME) ? new ScalarBackend() : Backends.get(name);
        System.out.println("# jrnn backend: " + backend.capabilities().describe());
        return backend;
    }

    /** A layer of the given cell ("lstm", "gru", "rnn"), input size = hidden, initialised from a fixed seed. */
    static RecurrentLayer layer(String cell, Backend backend, int hidden, OutputMode mode) {
        RecurrentLayer layer = switch (cell) {
            case "lstm" -> new LstmLayer(backend, hidden, hidden, mode);
            case "gru" -> new GruLayer(backend, hidden, hidden, GruLayer.Form.RESET_AFTER, mode);
            case "rnn" -> new SimpleRnnLayer(backend, hidden, hidden, RnnActivation.TANH, mode);
            default -> throw new IllegalArgumentException("unknown cell '" + cell + "': lstm, gru or rnn");
        };
        layer.initialize(42);
        System.out.println("# jrnn layer: " + cell + " on " + backend.name() + ", hidden " + hidden + ", threads "
                + layer.threads());
        return layer;
    }

    static float[] uniform(long seed, int n, double scale) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((2 * random.nextDouble() - 1) * scale);
        }
        return a;
    }

    /** Throws unless {@code actual} is within {@link #AGREEMENT} of {@code expected}, scaled by its magnitude. */
    static void requireAgreement(String what, float[] expected, float[] actual) {
        double scale = 1;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) expected[i] - actual[i]);
            if (!(diff <= AGREEMENT * scale)) {
                throw new IllegalStateException(what + ": element " + i + " is " + actual[i] + " but the scalar"
                        + " reference gives " + expected[i] + "; the benchmark would time a wrong result");
            }
        }
    }

    /** Runs one streaming step on {@code tested} and on a scalar twin from the same state and compares them. */
    static void checkStep(String cell, RecurrentLayer tested, int hidden, int batch, float[] x, float[] h, float[] c) {
        RecurrentLayer reference = layer(cell, new ScalarBackend(), hidden, OutputMode.SEQUENCE);
        float[] h1 = h.clone();
        float[] c1 = c == null ? null : c.clone();
        float[] h2 = h.clone();
        float[] c2 = c == null ? null : c.clone();
        tested.step(batch, x, h1, c1);
        reference.step(batch, x, h2, c2);
        requireAgreement(cell + " step h", h2, h1);
        if (c != null) {
            requireAgreement(cell + " step c", c2, c1);
        }
    }
}
