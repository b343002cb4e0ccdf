package org.jrnn.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.jrnn.core.Batch;
import org.jrnn.core.Bidirectional;
import org.jrnn.core.Cell;
import org.jrnn.core.OutputMode;
import org.jrnn.core.SequenceModel;
import org.jrnn.core.Vocabulary;
import org.jrnn.scalar.ScalarBackend;
import org.jrnn.spi.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Language models to PyTorch's word-language-model layout and back: the same predictions bit for bit. */
class LanguageModelWeightsTest {
    private final Backend backend = new ScalarBackend();
    @TempDir
    Path dir;

    @Test
    void aStackedBidirectionalLstmRoundTrips() throws IOException {
        SequenceModel model = SequenceModel.builder(backend).embedding(6, 4)
                .bidirectional(Cell.LSTM, 5, OutputMode.SEQUENCE, Bidirectional.Merge.CONCAT).dropout(0.2f)
                .bidirectional(Cell.LSTM, 5, OutputMode.SEQUENCE, Bidirectional.Merge.CONCAT).softmax(6).build(3);
        Vocabulary vocabulary = Vocabulary.of(List.of("a", "b", "c", "d", " ", "\n"));
        LanguageModelWeights.StateDict dict = LanguageModelWeights.export(model, vocabulary, "char");
        assertEquals(new RnnConfig("LSTM", 4, 5, 2, true, true, true), dict.config());
        assertEquals(List.of("encoder.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0",
                "rnn.bias_hh_l0", "rnn.weight_ih_l0_reverse"), dict.tensors().stream().limit(6)
                .map(SafeTensors.Tensor::name).toList());
        Path file = dir.resolve("lm.safetensors");
        SafeTensors.write(file, dict.tensors(), dict.metadata());
        SafeTensors read = SafeTensors.read(file);
        assertEquals(vocabulary, LanguageModelWeights.vocabulary(read));
        SequenceModel back = LanguageModelWeights.load(backend, read, read.metadata().get("mode"));
        Batch batch = Batch.ofTokens(2, 3, new int[] {0, 1, 2, 3, 4, 5}, null);
        assertArrayEquals(model.predict(batch).clone(), back.predict(batch));
    }

    @Test
    void modelsPyTorchCannotExpressAreRefusedByStage() {
        SequenceModel mixed = SequenceModel.builder(backend).embedding(6, 4).lstm(5, OutputMode.SEQUENCE)
                .gru(5, OutputMode.SEQUENCE).softmax(6).build(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LanguageModelWeights.export(mixed, null, null));
        assertTrue(e.getMessage().startsWith("stage GRU(5 units, SEQUENCE) does not fit one PyTorch stack of "
                + "LSTM(5 units, SEQUENCE)"), e.getMessage());
        SequenceModel regression = SequenceModel.builder(backend).input(3).lstm(5, OutputMode.LAST).regression(1)
                .build(1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LanguageModelWeights.export(regression, null,
                null)).getMessage().startsWith("only language models"));
    }

    @Test
    void aStackWithoutBiasExportsNoBiasTensorsAndComputesWithZeroBiases() throws IOException {
        RnnConfig config = new RnnConfig("RNN_RELU", 3, 4, 2, false, false, true);
        PyTorchRnn rnn = new PyTorchRnn(backend, config);
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int k = 0; k < 2; k++) {
            for (int d = 0; d < 2; d++) {
                float[] p = rnn.layer(k, d).parameters().values();
                for (int i = 0; i < p.length; i++) {
                    p[i] = (float) (r.nextDouble() - 0.5);
                }
                java.util.Arrays.fill(p, rnn.layer(k, d).parameters().tensor("bias_ih").offset(), p.length, 0f);
            }
        }
        List<SafeTensors.Tensor> tensors = rnn.export("");
        assertEquals(8, tensors.size(), "weights only: " + tensors.stream().map(SafeTensors.Tensor::name).toList());
        Path file = dir.resolve("nobias.safetensors");
        SafeTensors.write(file, tensors, java.util.Map.of());
        SafeTensors read = SafeTensors.read(file);
        assertEquals(config, RnnConfig.infer(read, "", "RNN_RELU", false));
        PyTorchRnn back = PyTorchRnn.load(backend, config, read, "");
        float[] x = new float[5 * 2 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        assertArrayEquals(rnn.forward(x, 5, 2, null, null).output(), back.forward(x, 5, 2, null, null).output());
    }
}
