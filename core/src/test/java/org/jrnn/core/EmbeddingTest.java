package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.junit.jupiter.api.Test;

/** Embeddings: lookup, gradients, freezing, and pretrained vectors in the word2vec / GloVe text format. */
class EmbeddingTest {
    private final Backend backend = Backends.get("scalar");

    private static WordVectors vectors(String text) throws IOException {
        return WordVectors.read(new StringReader(text), "vectors.txt");
    }

    @Test
    void gradientsAccumulateIntoTheRowsLookedUpUnlessFrozen() {
        Embedding e = new Embedding(backend, 4, 2).initialize(1);
        float[] out = e.forward(new int[] {2, 2, 1, 3}, 2, 2, new int[] {2, 1}).clone();
        assertArrayEquals(new float[] {0, 0}, java.util.Arrays.copyOfRange(out, 6, 8), "padding is zero");
        e.backward(new float[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertArrayEquals(new float[] {0, 0, 5, 6, 4, 6, 0, 0}, e.parameters().gradients(),
                "row 2 got two steps, row 1 one, padding none");
        e.parameters().zeroGradients();
        e.trainable(false);
        e.forward(new int[] {0, 1}, 1, 2, null);
        e.backward(new float[] {1, 1, 1, 1});
        assertArrayEquals(new float[8], e.parameters().gradients());
        SequenceModel model = SequenceModel.builder(backend).embedding(4, 2).lstm(3, OutputMode.LAST).softmax(2)
                .build(1);
        model.embedding().trainable(false);
        assertEquals(model.allParameters().size() - 1, model.parameters().size(),
                "a frozen embedding is not trained");
    }

    @Test
    void readsGloveAndWord2vecTextAndLoadsKnownWords() throws IOException {
        WordVectors glove = vectors("the 0.1 0.2 0.3\ncat -1 2.5 3e-1\n\nsat 1 1 1\n");
        assertEquals(3, glove.dim());
        assertEquals(List.of("the", "cat", "sat"), glove.words());
        WordVectors w2v = vectors("2 3\nthe 0.1 0.2 0.3\ncat -1 2.5 0.3\n");
        assertEquals(2, w2v.size());
        Vocabulary vocabulary = Vocabulary.of(List.of("cat", "dog", "the"));
        Embedding zero = new Embedding(backend, 3, 3);
        assertEquals(2, zero.load(glove, vocabulary, Embedding.Unknown.ZERO, 1));
        assertArrayEquals(new float[] {-1, 2.5f, 0.3f, 0, 0, 0, 0.1f, 0.2f, 0.3f}, zero.parameters().values());
        Embedding random = new Embedding(backend, 3, 3);
        random.load(glove, vocabulary, Embedding.Unknown.RANDOM, 1);
        double bound = Math.sqrt(3 * glove.variance());
        for (int j = 3; j < 6; j++) {
            float v = random.parameters().values()[j];
            assertTrue(v != 0 && Math.abs(v) <= bound, "unknown word's value " + v + " within ±" + bound);
        }
    }

    @Test
    void malformedLinesAreNamedByNumber() {
        assertMalformed("the 0.1 0.2\ncat 0.1\n", "vectors.txt:2: expected 2 numbers after 'cat', found 1");
        assertMalformed("the 0.1 x\n", "vectors.txt:1: number 2 of 'the' must be a finite decimal, found 'x'");
        assertMalformed("the 0.1 NaN\n", "vectors.txt:1: number 2 of 'the' must be a finite decimal, found 'NaN'");
        assertMalformed("3 2\nthe 0.1 0.2\n", "vectors.txt: the header declares 3 vectors, the file has 1");
        assertMalformed("the 0.1\nlonely\n", "vectors.txt:2: expected a word and its numbers, found 'lonely'");
        assertMalformed("\n\n", "vectors.txt: no word vectors found");
    }

    private static void assertMalformed(String text, String message) {
        IOException e = assertThrows(IOException.class, () -> vectors(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void dimensionMismatchIsReported() throws IOException {
        WordVectors v = vectors("a 1 2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Embedding(backend, 1, 3).load(v, Vocabulary.of(List.of("a")), Embedding.Unknown.ZERO, 0));
        assertEquals("embedding: pretrained vectors have 2 dimensions, this embedding has 3", e.getMessage());
    }
}
