package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.junit.jupiter.api.Test;

/** The classic chatbot model, in the few lines the builder promises, with the parameter count it must have. */
class ChatbotModelTest {
    private final Backend backend = Backends.get();

    @Test
    void embeddingTwoStackedLstmsAndASoftmaxOverTheVocabulary() {
        SequenceModel chatbot = SequenceModel.builder(backend)
                .embedding(317, 10)
                .lstm(32, OutputMode.SEQUENCE)
                .lstm(64, OutputMode.LAST)
                .softmax(317)
                .build(42);
        // embedding 317·10; LSTMs 4H·(in + H) weights and two 4H biases each (PyTorch's layout); dense 64·317 + 317
        long expected = 317 * 10 + (4 * 32 * (10 + 32) + 8 * 32) + (4 * 64 * (32 + 64) + 8 * 64) + (64 * 317 + 317);
        assertEquals(expected, chatbot.parameterCount());
        assertEquals(List.of("embedding", "layers.1.lstm", "layers.2.lstm", "output"),
                chatbot.allParameters().stream().map(Parameters::owner).toList());
        Batch questions = Batch.ofTokens(2, 5, new int[] {1, 2, 3, 4, 5, 9, 8, 7, 0, 0}, new int[] {5, 3});
        float[] logProbs = chatbot.predict(questions);
        assertEquals(2 * 317, logProbs.length, "one distribution over the vocabulary per question");
        double sum = 0;
        for (int c = 0; c < 317; c++) {
            sum += Math.exp(logProbs[c]);
        }
        assertEquals(1.0, sum, 1e-4);
        double loss = new Trainer(chatbot, new Adam(backend, 1e-3f)).step(questions.withClasses(new int[] {10, 20}))
                .loss();
        assertEquals(Math.log(317), loss, 0.5, "an untrained model is close to uniform");
    }
}
