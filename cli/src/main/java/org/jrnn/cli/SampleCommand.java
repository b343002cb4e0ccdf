package org.jrnn.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.jrnn.core.Generation;
import org.jrnn.core.Vocabulary;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jrnn sample}: text from a trained language model. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generates text from a checkpoint written by 'jrnn train'.")
final class SampleCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "The model (model.jrnn).")
    Path checkpoint;

    @Option(names = "--prime", paramLabel = "TEXT", description = "Text to start from (default: a line break).")
    String prime;

    @Option(names = "--temperature", defaultValue = "0.8",
            description = "Below 1 safer, above 1 wilder; 0 is greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "Sample among the k likeliest only; 0 for all (default).")
    int topK;

    @Option(names = "--length", defaultValue = "500", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--beam", defaultValue = "0",
            description = "Beam search with this many beams instead of sampling; 0 for sampling (default).")
    int beam;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() {
        if (!(temperature >= 0) || topK < 0 || length < 0 || beam < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "need --temperature >= 0, --top-k >= 0, "
                    + "--length >= 0 and --beam >= 0, found " + temperature + ", " + topK + ", " + length + ", " + beam);
        }
        Checkpoints.LanguageModel lm = Checkpoints.load(checkpoint, runtime.backend());
        Vocabulary vocabulary = lm.loaded().vocabulary();
        int[] start = prime(vocabulary, prime, lm.level());
        int[] tokens = beam > 0 && length > 0
                ? Generation.beamSearch(lm.loaded().model(), start, length, beam, -1).tokens()
                : Generation.generate(lm.loaded().model(), start, length,
                        new Generation.Sampling(temperature, topK, seed)).tokens();
        String text = (prime == null ? "" : prime) + decode(vocabulary, tokens);
        spec.commandLine().getOut().println(text);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The ids of the prime text, or of a line break (else the most frequent token) when there is none. */
    static int[] prime(Vocabulary vocabulary, String text, Corpus.Level level) {
        if (text == null || text.isEmpty()) {
            int newline = vocabulary.indexOf("\n");
            return new int[] {newline >= 0 ? newline : 0};
        }
        return Corpus.of("--prime", text, level).encode(vocabulary);
    }

    static String decode(Vocabulary vocabulary, int[] tokens) {
        List<String> words = new ArrayList<>(tokens.length);
        for (int t : tokens) {
            words.add(vocabulary.word(t));
        }
        return Corpus.join(words);
    }
}
