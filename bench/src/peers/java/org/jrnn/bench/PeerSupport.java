package org.jrnn.bench;

import org.jrnn.core.OutputMode;
import org.jrnn.core.RecurrentLayer;
import org.jrnn.core.RecurrentOutput;
import org.jrnn.spi.Backends;

/**
 * What the peer benchmarks share: the jrnn LSTM whose weights they copy (the same seeds as jrnn's own
 * benchmarks), its reference outputs, and the agreement check that runs before anything is timed.
 */
final class PeerSupport {
    /** Largest absolute difference between a peer's outputs and jrnn's, for the same weights and inputs. */
    static final double AGREEMENT = 1e-4;

    private PeerSupport() {
    }

    /** jrnn's LSTM with the weights every peer copies: input = hidden, initialised from seed 42. */
    static RecurrentLayer reference(int hidden) {
        return BenchSupport.layer("lstm", Backends.get(), hidden, OutputMode.SEQUENCE);
    }

    /** jrnn's outputs for batch-major {@code x [batch][seq][hidden]} from states {@code h0}, {@code c0}. */
    static RecurrentOutput referenceForward(RecurrentLayer layer, float[] x, int batch, int seq, float[] h0, float[] c0) {
        return layer.forward(x, batch, seq, null, h0, c0);
    }

    /** {@code [A][B][W]} to {@code [B][A][W]}. */
    static float[] transpose(float[] a, int outer, int inner, int width) {
        float[] out = new float[a.length];
        for (int i = 0; i < outer; i++) {
            for (int j = 0; j < inner; j++) {
                System.arraycopy(a, (i * inner + j) * width, out, (j * outer + i) * width, width);
            }
        }
        return out;
    }

    /** Throws unless the peer's values agree with jrnn's within {@link #AGREEMENT}. */
    static void requireAgreement(String what, float[] jrnn, float[] peer) {
        if (jrnn.length != peer.length) {
            throw new IllegalStateException(what + ": jrnn has " + jrnn.length + " values, the peer " + peer.length);
        }
        double worst = 0;
        for (int i = 0; i < jrnn.length; i++) {
            worst = Math.max(worst, Math.abs((double) jrnn[i] - peer[i]));
        }
        if (!(worst <= AGREEMENT)) {
            throw new IllegalStateException(what + ": the peer differs from jrnn by " + worst + " (allowed "
                    + AGREEMENT + "); the two would not compute the same thing");
        }
        System.out.println("# " + what + ": agrees with jrnn within " + worst);
    }
}
