package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A padded batch through a bidirectional stage equals each sequence run alone, unpadded, in both directions. */
class BidirectionalTest {
    private final Backend backend = Backends.get("scalar");

    @ParameterizedTest
    @EnumSource(OutputMode.class)
    void eachSequenceAloneMatchesThePaddedBatch(OutputMode mode) {
        int in = 3;
        int hidden = 4;
        int time = 5;
        int[] lengths = {5, 2, 3};
        Bidirectional bi = new Bidirectional(backend, Cell.LSTM, in, hidden, mode, Bidirectional.Merge.CONCAT);
        bi.forwardLayer().initialize(1);
        bi.backwardLayer().initialize(2);
        SplittableRandom r = new SplittableRandom(3);
        float[] x = SequenceModelGradientTest.uniform(r, lengths.length * time * in, 1);
        // padding must not matter: fill it with large values
        for (int b = 0; b < lengths.length; b++) {
            Arrays.fill(x, (b * time + lengths[b]) * in, (b + 1) * time * in, 1e3f);
        }
        float[] batched = bi.forward(x, lengths.length, time, lengths, false).clone();
        for (int b = 0; b < lengths.length; b++) {
            int len = lengths[b];
            float[] seq = Arrays.copyOfRange(x, b * time * in, (b * time + len) * in);
            float[] rev = new float[seq.length];
            for (int t = 0; t < len; t++) {
                System.arraycopy(seq, (len - 1 - t) * in, rev, t * in, in);
            }
            float[] fwd = bi.forwardLayer().forward(seq, 1, len, null, null, null).output().clone();
            float[] bwd = bi.backwardLayer().forward(rev, 1, len, null, null, null).output().clone();
            if (mode == OutputMode.LAST) {
                assertArrayEquals(fwd, Arrays.copyOfRange(batched, 2 * b * hidden, (2 * b + 1) * hidden),
                        "forward half of sequence " + b);
                assertArrayEquals(bwd, Arrays.copyOfRange(batched, (2 * b + 1) * hidden, (2 * b + 2) * hidden),
                        "backward half of sequence " + b + " (its state after reading back to step 0)");
                continue;
            }
            for (int t = 0; t < time; t++) {
                int at = (b * time + t) * 2 * hidden;
                float[] f = Arrays.copyOfRange(batched, at, at + hidden);
                float[] k = Arrays.copyOfRange(batched, at + hidden, at + 2 * hidden);
                if (t >= len) {
                    assertArrayEquals(new float[hidden], f, "padding step " + t + " of sequence " + b);
                    assertArrayEquals(new float[hidden], k, "padding step " + t + " of sequence " + b);
                    continue;
                }
                assertArrayEquals(Arrays.copyOfRange(fwd, t * hidden, (t + 1) * hidden), f,
                        "forward direction at step " + t + " of sequence " + b);
                int rt = len - 1 - t;
                assertArrayEquals(Arrays.copyOfRange(bwd, rt * hidden, (rt + 1) * hidden), k,
                        "backward direction at step " + t + " of sequence " + b);
            }
        }
        assertEquals(2 * hidden, bi.outputSize());
    }
}
