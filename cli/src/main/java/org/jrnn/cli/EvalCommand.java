package org.jrnn.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.jrnn.core.Batch;
import org.jrnn.core.Batching;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jrnn eval}: the loss of a language model on a text. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reports a checkpoint's loss on a text, in nats and bits per character (or word).")
final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "The model (model.jrnn).")
    Path checkpoint;

    @Option(names = "--corpus", required = true, paramLabel = "FILE", description = "UTF-8 text to evaluate on.")
    Path corpus;

    @Option(names = "--seq-length", defaultValue = "100",
            description = "Steps per chunk; state carries across chunks (default: ${DEFAULT-VALUE}).")
    int seqLength;

    @Option(names = "--batch", defaultValue = "16", description = "Parallel streams (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() {
        if (seqLength < 1 || batch < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seq-length and --batch must be >= 1, "
                    + "found " + seqLength + " and " + batch);
        }
        Checkpoints.LanguageModel lm = Checkpoints.load(checkpoint, runtime.backend());
        Corpus text = Corpus.read(corpus, lm.level());
        int[] ids = text.encode(lm.loaded().vocabulary());
        String unit = lm.level().unit();
        if (ids.length < 2) {
            throw new CliException(corpus + " has " + ids.length + " " + unit + "s; evaluation needs at least 2");
        }
        int length = Math.min(seqLength, ids.length - 1);
        List<Batch> batches = Batching.streams(ids, Math.max(1, Math.min(batch, (ids.length - 1) / length)), length);
        double nats = lm.loaded().model().carryState(true).evaluate(batches);
        long counted = batches.stream().mapToLong(Batch::validSteps).sum();
        spec.commandLine().getOut().println(String.format(Locale.ROOT, "%s: %,d %ss scored: %.4f nats per %s, "
                + "%.4f bits per %s, perplexity %.2f", corpus, counted, unit, nats, unit, nats / Math.log(2), unit,
                Math.exp(nats)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
