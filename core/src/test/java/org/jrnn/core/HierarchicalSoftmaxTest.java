package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.jrnn.tck.GradientChecker;
import org.junit.jupiter.api.Test;

/** Hierarchical softmax: exact distribution, Huffman code lengths, one-word scoring and its gradient. */
class HierarchicalSoftmaxTest {
    private final Backend backend = Backends.get("scalar");

    @Test
    void probabilitiesOverTheVocabularySumToOne() {
        qt().withExamples(60).withFixedSeed(5).forAll(integers().between(2, 300), integers().between(1, 9),
                longs().between(0, 1000)).checkAssert((classes, in, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    long[] counts = new long[classes];
                    for (int i = 0; i < classes; i++) {
                        counts[i] = r.nextInt(1000);
                    }
                    HierarchicalSoftmax h = new HierarchicalSoftmax(backend, in, counts).initialize(seed);
                    float[] bias = h.parameters().get(0).values();
                    for (int i = 0; i < bias.length; i++) {
                        bias[i] += (float) r.nextGaussian();
                    }
                    float[] x = SequenceModelGradientTest.uniform(r, 2 * in, 3);
                    float[] logProbs = h.predict(x, 2);
                    for (int row = 0; row < 2; row++) {
                        double sum = 0;
                        for (int c = 0; c < classes; c++) {
                            sum += Math.exp(logProbs[row * classes + c]);
                            assertEquals(h.logProbability(x, row * in, c), logProbs[row * classes + c], 1e-5,
                                    "scoring one word agrees with the full distribution");
                        }
                        assertEquals(1.0, sum, 1e-5, "row " + row + " with " + classes + " classes");
                    }
                });
    }

    @Test
    void frequentWordsGetShortCodes() {
        long[] counts = new long[64];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = 1L << (i % 20);
        }
        HierarchicalSoftmax h = new HierarchicalSoftmax(backend, 4, counts);
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts.length; j++) {
                if (counts[i] > counts[j]) {
                    assertTrue(h.depth(i) <= h.depth(j), "word " + i + " (count " + counts[i] + ") has depth "
                            + h.depth(i) + ", word " + j + " (count " + counts[j] + ") " + h.depth(j));
                }
            }
        }
        // equal counts give a balanced tree: log2 V levels
        HierarchicalSoftmax flat = new HierarchicalSoftmax(backend, 4, new long[1024]);
        for (int i = 0; i < 1024; i++) {
            assertEquals(10, flat.depth(i));
        }
    }

    @Test
    void lossGradientMatchesCentralDifferences() {
        long[] counts = {5, 1, 8, 2, 2, 9, 4};
        HierarchicalSoftmax h = new HierarchicalSoftmax(backend, 3, counts).initialize(1);
        SplittableRandom r = new SplittableRandom(2);
        float[] x = SequenceModelGradientTest.uniform(r, 4 * 3, 1);
        int[] targets = {3, SoftmaxCrossEntropy.IGNORE, 0, 6};
        GradientChecker.Report report = ModelGradients.check(h.parameters(), () -> h.parameters().get(0)
                .zeroGradients(), () -> h.loss(x, 4, targets, null, null), h::backward);
        GradientChecker.assertPassed("hierarchical softmax parameters", report);
        // the input gradient, against differences of the loss in x
        h.loss(x, 4, targets, null, null);
        float[] dx = h.backward().clone();
        for (int i = 0; i < x.length; i++) {
            float saved = x[i];
            x[i] = saved + 1e-2f;
            double plus = h.loss(x, 4, targets, null, null);
            x[i] = saved - 1e-2f;
            double minus = h.loss(x, 4, targets, null, null);
            x[i] = saved;
            assertEquals((plus - minus) / 2e-2, dx[i], 2e-3, "dx[" + i + "]");
        }
    }

    @Test
    void badTargetsAreNamed() {
        HierarchicalSoftmax h = new HierarchicalSoftmax(backend, 2, new long[] {1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> h.loss(new float[2], 1, new int[] {3}, null, null));
        assertEquals("hierarchical softmax: class must be in [0, 3), found 3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HierarchicalSoftmax(backend, 2, new long[] {1}));
    }
}
