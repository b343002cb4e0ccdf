package org.jrnn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jrnn.core.Checkpoint;
import org.jrnn.spi.Backend;

/** Loading a language-model checkpoint for the commands, with one-line errors. */
final class Checkpoints {
    private Checkpoints() {
    }

    /** A loaded language model, its vocabulary and how its text was tokenized. */
    record LanguageModel(Checkpoint.Loaded loaded, Corpus.Level level) {
    }

    static LanguageModel load(Path file, Backend backend) {
        if (!Files.exists(file)) {
            throw new CliException("checkpoint " + file + " does not exist");
        }
        Checkpoint.Loaded loaded;
        try {
            loaded = Checkpoint.load(file, backend);
        } catch (IOException e) {
            throw new CliException(e.getMessage(), e);
        }
        if (loaded.vocabulary() == null || loaded.model().embedding() == null) {
            throw new CliException(file + " is not a language model saved by 'jrnn train' (it has no vocabulary "
                    + "or no embedding)");
        }
        String tokens = loaded.metadata().getOrDefault(Corpus.Level.KEY, "char");
        Corpus.Level level = switch (tokens) {
            case "char" -> Corpus.Level.CHAR;
            case "word" -> Corpus.Level.WORD;
            default -> throw new CliException(file + " was tokenized as '" + tokens + "', which this jrnn does not know");
        };
        return new LanguageModel(loaded, level);
    }
}
