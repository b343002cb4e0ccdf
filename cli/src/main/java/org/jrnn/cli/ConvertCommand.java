package org.jrnn.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.jrnn.core.Checkpoint;
import org.jrnn.core.SequenceModel;
import org.jrnn.core.Vocabulary;
import org.jrnn.interop.LanguageModelWeights;
import org.jrnn.interop.SafeTensors;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jrnn convert}: language models between jrnn checkpoints and PyTorch safetensors. */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Converts a language model between a jrnn checkpoint (.jrnn) and a PyTorch state_dict "
                + "(.safetensors), by the file names' extensions.",
                "PyTorch side: encoder.weight (nn.Embedding), rnn.* (nn.LSTM/GRU/RNN, batch_first), decoder.weight "
                        + "and decoder.bias (nn.Linear); the vocabulary travels in the metadata, and a config.json "
                        + "for the rnn is written beside the .safetensors."})
final class ConvertCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "FILE", description = "model.jrnn or model.safetensors.")
    Path from;

    @Option(names = "--to", required = true, paramLabel = "FILE", description = "model.safetensors or model.jrnn.")
    Path to;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "LSTM, GRU, RNN_TANH or RNN_RELU, for a .safetensors without it in its metadata.")
    String mode;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws IOException {
        String source = from.getFileName().toString();
        String target = to.getFileName().toString();
        if (source.endsWith(".jrnn") && target.endsWith(".safetensors")) {
            toPyTorch();
        } else if (source.endsWith(".safetensors") && target.endsWith(".jrnn")) {
            toJrnn();
        } else {
            throw new CommandLine.ParameterException(spec.commandLine(), "convert goes from .jrnn to .safetensors or "
                    + "back; found " + source + " → " + target);
        }
        spec.commandLine().getOut().println(from + " → " + to);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private void toPyTorch() throws IOException {
        Checkpoints.LanguageModel lm = Checkpoints.load(from, runtime.backend());
        LanguageModelWeights.StateDict dict = LanguageModelWeights.export(lm.loaded().model(),
                lm.loaded().vocabulary(), lm.level().name().toLowerCase(java.util.Locale.ROOT));
        SafeTensors.write(to, dict.tensors(), dict.metadata());
        String name = target(to);
        Files.writeString(to.resolveSibling(name + ".config.json"), dict.config().toJson(), StandardCharsets.UTF_8);
    }

    private static String target(Path file) {
        String n = file.getFileName().toString();
        return n.substring(0, n.length() - ".safetensors".length());
    }

    private void toJrnn() throws IOException {
        if (!Files.exists(from)) {
            throw new CliException("weights file " + from + " does not exist");
        }
        SafeTensors weights = SafeTensors.read(from);
        if (!LanguageModelWeights.isLanguageModel(weights)) {
            throw new CliException(from + " holds no language model (" + LanguageModelWeights.EMBEDDING + ", "
                    + LanguageModelWeights.DECODER_WEIGHT + "); a jrnn checkpoint holds a whole model — run a bare "
                    + "recurrent stack with 'jrnn infer'");
        }
        String m = mode != null ? mode : weights.metadata().get("mode");
        if (m == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), from + " does not say its mode in its "
                    + "metadata; give --mode LSTM, GRU, RNN_TANH or RNN_RELU");
        }
        Vocabulary vocabulary = LanguageModelWeights.vocabulary(weights);
        if (vocabulary == null) {
            throw new CliException(from + " has no vocabulary in its metadata ('" + LanguageModelWeights.VOCABULARY
                    + "'); jrnn's language models need one");
        }
        SequenceModel model = LanguageModelWeights.load(runtime.backend(), weights, m);
        if (vocabulary.size() != model.embedding().vocabularySize()) {
            throw new CliException(from + ": the vocabulary has " + vocabulary.size() + " words, the embedding "
                    + model.embedding().vocabularySize() + " rows");
        }
        String tokens = weights.metadata().getOrDefault(LanguageModelWeights.TOKENS, "char");
        Checkpoint.save(to, model, vocabulary, null, Map.of(Corpus.Level.KEY, tokens, "converted-from",
                from.getFileName().toString()));
    }
}
