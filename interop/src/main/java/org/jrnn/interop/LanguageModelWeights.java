package org.jrnn.interop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jrnn.core.Bidirectional;
import org.jrnn.core.Cell;
import org.jrnn.core.DenseLayer;
import org.jrnn.core.Embedding;
import org.jrnn.core.LayerSpec;
import org.jrnn.core.OutputMode;
import org.jrnn.core.RecurrentLayer;
import org.jrnn.core.SequenceLayer;
import org.jrnn.core.SequenceModel;
import org.jrnn.core.SoftmaxOutput;
import org.jrnn.core.Vocabulary;
import org.jrnn.spi.Backend;

/**
 * A token language model (embedding → one recurrent stack → linear → softmax) as a PyTorch state_dict, with the
 * names of PyTorch's word-language-model example: {@code encoder.weight [V][E]}, the stack under {@code rnn.}
 * ({@code rnn.weight_ih_l0}, …, as {@code nn.LSTM/GRU/RNN}), {@code decoder.weight [V][D·H]} and
 * {@code decoder.bias [V]}. The vocabulary and the tokenization travel in the safetensors metadata
 * ({@value #VOCABULARY} as a JSON array of strings, {@value #TOKENS}).
 */
public final class LanguageModelWeights {
    public static final String EMBEDDING = "encoder.weight";
    public static final String RNN = "rnn.";
    public static final String DECODER_WEIGHT = "decoder.weight";
    public static final String DECODER_BIAS = "decoder.bias";
    public static final String VOCABULARY = "jrnn.vocabulary";
    public static final String TOKENS = "jrnn.tokens";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LanguageModelWeights() {
    }

    /** A state_dict, its recurrent stack's config and the metadata to store with it. */
    public record StateDict(List<SafeTensors.Tensor> tensors, RnnConfig config, Map<String, String> metadata) {
    }

    /**
     * The state_dict of a jrnn language model: its recurrent stages must form one PyTorch stack (the same cell,
     * size and directions, returning sequences; bidirectional stages merged by concatenation); dropout stages
     * are left out (they do nothing at inference).
     *
     * @throws IllegalArgumentException naming the stage PyTorch's modules cannot express
     */
    public static StateDict export(SequenceModel model, Vocabulary vocabulary, String tokens) {
        if (model.embedding() == null || !(model.output() instanceof SoftmaxOutput softmax)) {
            throw new IllegalArgumentException("only language models (embedding, recurrent layers, softmax) convert to "
                    + "PyTorch; this model is " + model.spec());
        }
        LayerSpec.Rnn first = null;
        for (LayerSpec s : model.spec()) {
            if (s instanceof LayerSpec.Rnn r) {
                if (first == null) {
                    first = r;
                }
                if (r.cell() != first.cell() || r.hidden() != first.hidden() || (r.merge() == null) != (first.merge() == null)
                        || r.mode() != OutputMode.SEQUENCE
                        || (r.merge() != null && r.merge() != Bidirectional.Merge.CONCAT)
                        || r.cell() == Cell.GRU_RESET_BEFORE) {
                    throw new IllegalArgumentException("stage " + r + " does not fit one PyTorch stack of " + first
                            + " (PyTorch stacks share cell, size and directions, return sequences, concatenate "
                            + "directions, and its GRU is the reset-after form)");
                }
            }
        }
        if (first == null) {
            throw new IllegalArgumentException("the model has no recurrent layer");
        }
        List<List<RecurrentLayer>> stack = stack(model);
        Embedding embedding = model.embedding();
        RnnConfig config = new RnnConfig(mode(first.cell()), embedding.dim(), first.hidden(), stack.size(), true,
                true, first.merge() != null);
        List<SafeTensors.Tensor> tensors = new ArrayList<>();
        tensors.add(new SafeTensors.Tensor(EMBEDDING, new int[] {embedding.vocabularySize(), embedding.dim()},
                embedding.parameters().values().clone()));
        tensors.addAll(PyTorchRnn.view(config, stack).export(RNN));
        DenseLayer dense = softmax.dense();
        tensors.add(new SafeTensors.Tensor(DECODER_WEIGHT, new int[] {dense.outputSize(), dense.inputSize()},
                dense.parameters().get(DenseLayer.WEIGHT)));
        tensors.add(new SafeTensors.Tensor(DECODER_BIAS, new int[] {dense.outputSize()},
                dense.parameters().get(DenseLayer.BIAS)));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("mode", config.mode());
        if (vocabulary != null) {
            try {
                metadata.put(VOCABULARY, JSON.writeValueAsString(vocabulary.words()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        if (tokens != null) {
            metadata.put(TOKENS, tokens);
        }
        return new StateDict(tensors, config, metadata);
    }

    private static String mode(Cell cell) {
        return switch (cell) {
            case LSTM -> "LSTM";
            case GRU -> "GRU";
            case RNN_TANH -> "RNN_TANH";
            case RNN_RELU -> "RNN_RELU";
            case GRU_RESET_BEFORE -> throw new IllegalArgumentException("PyTorch has no reset-before GRU");
        };
    }

    /** Whether a state_dict holds a language model in this layout. */
    public static boolean isLanguageModel(SafeTensors weights) {
        return weights.get(EMBEDDING) != null && weights.get(DECODER_WEIGHT) != null;
    }

    /**
     * A jrnn language model from such a state_dict; the stack's mode comes from {@code mode} (or the metadata),
     * its sizes from the tensors.
     *
     * @throws IllegalArgumentException naming a missing, unexpected or misshapen tensor
     */
    public static SequenceModel load(Backend backend, SafeTensors weights, String mode) {
        SafeTensors.Tensor embedding = require(weights, EMBEDDING, 2);
        SafeTensors.Tensor decoder = require(weights, DECODER_WEIGHT, 2);
        SafeTensors.Tensor bias = require(weights, DECODER_BIAS, 1);
        RnnConfig config = RnnConfig.infer(weights, RNN, mode, true);
        int vocab = embedding.shape()[0];
        int width = config.directions() * config.hiddenSize();
        if (config.inputSize() != embedding.shape()[1] || decoder.shape()[0] != vocab || decoder.shape()[1] != width
                || bias.shape()[0] != vocab) {
            throw new IllegalArgumentException("the language model's tensors do not fit together: " + EMBEDDING + " "
                    + embedding.shapeText() + ", " + RNN + "weight_ih_l0 reads " + config.inputSize() + ", "
                    + DECODER_WEIGHT + " " + decoder.shapeText() + " (expected [" + vocab + ", " + width + "]), "
                    + DECODER_BIAS + " " + bias.shapeText());
        }
        for (String name : weights.tensors().keySet()) {
            if (!name.startsWith(RNN) && !name.equals(EMBEDDING) && !name.equals(DECODER_WEIGHT)
                    && !name.equals(DECODER_BIAS)) {
                throw new IllegalArgumentException("unexpected tensor '" + name + "' in a language model");
            }
        }
        SequenceModel.Builder builder = SequenceModel.builder(backend).embedding(vocab, embedding.shape()[1]);
        for (int k = 0; k < config.numLayers(); k++) {
            if (config.bidirectional()) {
                builder.bidirectional(config.cell(), config.hiddenSize(), OutputMode.SEQUENCE,
                        Bidirectional.Merge.CONCAT);
            } else {
                builder.recurrent(config.cell(), config.hiddenSize(), OutputMode.SEQUENCE);
            }
        }
        SequenceModel model = builder.softmax(vocab).build(0);
        // checks every recurrent tensor before copying any; the model is dropped if one does not fit
        PyTorchRnn.view(config, stack(model)).assign(weights, RNN);
        System.arraycopy(embedding.values(), 0, model.embedding().parameters().values(), 0, embedding.values().length);
        DenseLayer dense = ((SoftmaxOutput) model.output()).dense();
        dense.parameters().set(DenseLayer.WEIGHT, decoder.values());
        dense.parameters().set(DenseLayer.BIAS, bias.values());
        return model;
    }

    /** The recurrent layers of each recurrent stage, in order (dropout stages have none). */
    private static List<List<RecurrentLayer>> stack(SequenceModel model) {
        List<List<RecurrentLayer>> stack = new ArrayList<>();
        for (SequenceLayer layer : model.layers()) {
            if (!layer.recurrentLayers().isEmpty()) {
                stack.add(layer.recurrentLayers());
            }
        }
        return stack;
    }

    /** The vocabulary stored in the metadata, or null. */
    public static Vocabulary vocabulary(SafeTensors weights) {
        String json = weights.metadata().get(VOCABULARY);
        if (json == null) {
            return null;
        }
        try {
            return Vocabulary.of(JSON.readValue(json, new TypeReference<List<String>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata " + VOCABULARY + " is not a JSON array of strings", e);
        }
    }

    private static SafeTensors.Tensor require(SafeTensors weights, String name, int dims) {
        SafeTensors.Tensor t = weights.get(name);
        if (t == null || t.shape().length != dims) {
            throw new IllegalArgumentException((t == null ? "missing tensor '" + name + "'"
                    : "tensor '" + name + "' has shape " + t.shapeText()) + "; a language model needs a " + dims
                    + "-D " + name);
        }
        return t;
    }
}
