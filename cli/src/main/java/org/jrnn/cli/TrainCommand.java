package org.jrnn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.jrnn.core.Adam;
import org.jrnn.core.Batch;
import org.jrnn.core.Batching;
import org.jrnn.core.Cell;
import org.jrnn.core.Checkpoint;
import org.jrnn.core.Generation;
import org.jrnn.core.LearningRate;
import org.jrnn.core.OutputMode;
import org.jrnn.core.SequenceLayer;
import org.jrnn.core.SequenceModel;
import org.jrnn.core.Trainer;
import org.jrnn.core.TrainingListener;
import org.jrnn.core.Vocabulary;
import org.jrnn.spi.Backend;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jrnn train}: a character- or word-level language model, with truncated BPTT over the corpus. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a language model on a text and writes its checkpoint, a loss plot and a sample.",
                "Without --corpus it trains on a built-in corpus (a play jrnn writes itself) for one minute."})
final class TrainCommand implements Callable<Integer> {
    /** The cells, as the option spells them. */
    enum CellOption {
        lstm(Cell.LSTM), gru(Cell.GRU), rnn(Cell.RNN_TANH);

        final Cell cell;

        CellOption(Cell cell) {
            this.cell = cell;
        }
    }

    /** Learning-rate schedules. */
    enum Schedule { constant, step, exponential, cosine }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--corpus", paramLabel = "FILE", description = "UTF-8 text to train on (default: built-in).")
    Path corpus;

    @Option(names = "--level", defaultValue = "char", paramLabel = "char|word",
            description = "Tokens: characters or words (default: ${DEFAULT-VALUE}).")
    String level;

    @Option(names = "--cell", defaultValue = "lstm", description = "lstm, gru or rnn (default: ${DEFAULT-VALUE}).")
    CellOption cell;

    @Option(names = "--layers", defaultValue = "1", description = "Recurrent layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--hidden", defaultValue = "256", description = "Hidden units per layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--embedding", defaultValue = "64", description = "Embedding size (default: ${DEFAULT-VALUE}).")
    int embedding;

    @Option(names = "--seq-length", defaultValue = "64",
            description = "Steps of backpropagation through time per chunk (default: ${DEFAULT-VALUE}).")
    int seqLength;

    @Option(names = "--batch", defaultValue = "32", description = "Parallel streams per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--epochs", defaultValue = "0",
            description = "Passes over the training text; 0 for as many as the time allows (default).")
    int epochs;

    @Option(names = "--time", defaultValue = "1m", converter = Durations.class, paramLabel = "DURATION",
            description = "Training time budget, e.g. 90s, 15m, 1h (default: ${DEFAULT-VALUE}).")
    Duration time;

    @Option(names = "--lr", defaultValue = "0.002", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--schedule", defaultValue = "constant",
            description = "constant, step, exponential or cosine (cosine needs --epochs) (default: ${DEFAULT-VALUE}).")
    Schedule schedule;

    @Option(names = "--gamma", defaultValue = "0.5",
            description = "Decay factor: per --decay-every steps (step) or per epoch (exponential) (default: ${DEFAULT-VALUE}).")
    float gamma;

    @Option(names = "--decay-every", defaultValue = "1000", description = "Steps between step decays (default: ${DEFAULT-VALUE}).")
    long decayEvery;

    @Option(names = "--warmup", defaultValue = "0", description = "Linear warm-up steps (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--clip", defaultValue = "5", description = "Clip gradients to this global norm; 0 for none (default: ${DEFAULT-VALUE}).")
    float clip;

    @Option(names = "--dropout", defaultValue = "0", description = "Dropout between layers and before the output (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(names = "--validation", defaultValue = "0.1",
            description = "Fraction at the end of the text held out for validation (default: ${DEFAULT-VALUE}).")
    double validation;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of initialization, dropout and sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--output", defaultValue = "jrnn-output", paramLabel = "DIR",
            description = "Where model.jrnn, loss.png and sample.txt go (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--sample-length", defaultValue = "500", description = "Tokens of the final sample (default: ${DEFAULT-VALUE}).")
    int sampleLength;

    @Option(names = "--temperature", defaultValue = "0.8", description = "Temperature of the final sample (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|bar|log",
            description = "A live bar (terminal), log lines, or auto (default: ${DEFAULT-VALUE}).")
    String progress;

    @Mixin
    RuntimeOptions runtime;

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private Corpus.Level level() {
        return switch (level) {
            case "char" -> Corpus.Level.CHAR;
            case "word" -> Corpus.Level.WORD;
            default -> throw usage("--level must be char or word, found '" + level + "'");
        };
    }

    private void validate() {
        requirePositive("--layers", layers);
        requirePositive("--hidden", hidden);
        requirePositive("--embedding", embedding);
        requirePositive("--seq-length", seqLength);
        requirePositive("--batch", batch);
        requirePositive("--sample-length", sampleLength + 1);
        if (epochs < 0) {
            throw usage("--epochs must be >= 0, found " + epochs);
        }
        if (time.isZero() || time.isNegative()) {
            throw usage("--time must be positive, found " + time);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw usage("--lr must be > 0, found " + learningRate);
        }
        if (!(clip >= 0)) {
            throw usage("--clip must be >= 0, found " + clip);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw usage("--dropout must be in [0, 1), found " + dropout);
        }
        if (!(validation > 0 && validation < 0.5)) {
            throw usage("--validation must be in (0, 0.5), found " + validation);
        }
        if (!(temperature >= 0)) {
            throw usage("--temperature must be >= 0, found " + temperature);
        }
        if (schedule == Schedule.cosine && epochs == 0) {
            throw usage("--schedule cosine needs --epochs (its length)");
        }
        if (!List.of("auto", "bar", "log").contains(progress)) {
            throw usage("--progress must be auto, bar or log, found '" + progress + "'");
        }
    }

    private void requirePositive(String name, int value) {
        if (value < 1) {
            throw usage(name + " must be >= 1, found " + value);
        }
    }

    @Override
    public Integer call() throws IOException {
        validate();
        Corpus.Level tokens = level();
        PrintWriter out = spec.commandLine().getOut();
        Backend backend = runtime.backend();
        Corpus text = corpus == null ? Corpus.of("built-in corpus", DefaultCorpus.text(), tokens)
                : Corpus.read(corpus, tokens);
        Vocabulary vocabulary = text.vocabulary();
        int[] ids = text.encode(vocabulary);
        int split = (int) Math.round(ids.length * (1 - validation));
        int[] train = Arrays.copyOf(ids, split);
        int[] held = Arrays.copyOfRange(ids, split, ids.length);
        String unit = tokens.unit();
        int need = seqLength + 1;
        if (held.length < need || train.length < need) {
            throw new CliException(text.name + " has " + ids.length + " " + unit + "s; with --validation "
                    + validation + " and --seq-length " + seqLength + " it needs at least "
                    + (int) Math.ceil(need / validation) + " (one sequence of " + need + " " + unit
                    + "s in each part)");
        }
        List<Batch> trainBatches = Batching.streams(train, Math.min(batch, (train.length - 1) / seqLength), seqLength);
        List<Batch> heldBatches = Batching.streams(held, Math.min(batch, (held.length - 1) / seqLength), seqLength);

        SequenceModel.Builder builder = SequenceModel.builder(backend).embedding(vocabulary.size(), embedding);
        for (int k = 0; k < layers; k++) {
            builder.recurrent(cell.cell, hidden, OutputMode.SEQUENCE);
            if (dropout > 0) {
                builder.dropout(dropout);
            }
        }
        SequenceModel model = builder.softmax(vocabulary.size()).build(seed).carryState(true);
        for (SequenceLayer layer : model.layers()) {
            layer.recurrentLayers().forEach(l -> l.threads(runtime.threads));
        }
        long stepsPerEpoch = trainBatches.size();
        Adam adam = new Adam(backend, schedule(stepsPerEpoch), 0.9f, 0.999f, 1e-8f, 0f);
        Trainer trainer = new Trainer(model, adam);
        if (clip > 0) {
            trainer.clipNorm(clip);
        }
        Files.createDirectories(output);
        Path checkpoint = output.resolve("model.jrnn");
        Map<String, String> metadata = Map.of(Corpus.Level.KEY, tokens.name().toLowerCase(Locale.ROOT),
                "corpus", text.name);
        boolean bar = progress.equals("bar") || progress.equals("auto") && Progress.stdoutIsTerminal();
        Progress report = new Progress(out, bar, 10);
        report.line(String.format(Locale.ROOT, "training a %d-layer %s of %d units (%,d parameters) on %s: %,d %ss, "
                        + "vocabulary %d, %d streams of %d steps, backend %s, budget %s%s", layers,
                cell.name().toUpperCase(Locale.ROOT), hidden, model.parameterCount(), text.name, ids.length, unit,
                vocabulary.size(), trainBatches.get(0).size(), seqLength, backend.name(), Progress.clock(
                        time.toMillis() / 1e3), epochs > 0 ? " or " + epochs + " epochs" : ""));

        List<double[]> trainCurve = new ArrayList<>();
        List<double[]> heldCurve = new ArrayList<>();
        long start = System.nanoTime();
        double budget = time.toNanos() / 1e9;
        double best = Double.POSITIVE_INFINITY;
        long tokensSeen = 0;
        double window = 0;
        int windowCount = 0;
        boolean timeUp = false;
        int epoch = 0;
        for (; (epochs == 0 || epoch < epochs) && !timeUp; epoch++) {
            model.resetState();
            double epochLoss = 0;
            int epochSteps = 0;
            for (Batch b : trainBatches) {
                TrainingListener.Step step = trainer.step(b);
                tokensSeen += (long) b.size() * b.time();
                epochLoss += step.loss();
                epochSteps++;
                window += step.loss();
                windowCount++;
                if (windowCount == 20) {
                    trainCurve.add(new double[] {step.step(), window / windowCount});
                    window = 0;
                    windowCount = 0;
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                double fraction = epochs > 0 ? Math.max(elapsed / budget, (epoch + (double) epochSteps
                        / stepsPerEpoch) / epochs) : elapsed / budget;
                report.update(epoch + 1, step.step(), Math.min(1, fraction), step.loss(), tokensSeen / elapsed,
                        fraction > 0 ? elapsed / fraction - elapsed : Double.NaN, unit);
                if (elapsed >= budget) {
                    timeUp = true;
                    break;
                }
            }
            double heldLoss = trainer.evaluate(heldBatches);
            double elapsed = (System.nanoTime() - start) / 1e9;
            heldCurve.add(new double[] {adam.steps(), heldLoss});
            boolean improved = heldLoss < best;
            if (improved) {
                best = heldLoss;
                Checkpoint.save(checkpoint, model, vocabulary, adam, metadata);
            }
            report.line(String.format(Locale.ROOT, "epoch %d%s: training %.4f, validation %.4f nats per %s = %.4f "
                            + "bits per %s%s; %s %ss/s, %s elapsed", epoch + 1, timeUp ? " (time up)" : "",
                    epochLoss / Math.max(1, epochSteps), heldLoss, unit, heldLoss / Math.log(2), unit,
                    improved ? " (best, saved)" : "", Progress.rate(tokensSeen / elapsed), unit,
                    Progress.clock(elapsed)));
        }
        Checkpoint.Loaded saved = Checkpoint.load(checkpoint, backend);
        Generation.Sequence sample = Generation.generate(saved.model(), SampleCommand.prime(vocabulary, null, tokens),
                sampleLength, new Generation.Sampling(temperature, 0, seed));
        String sampleText = SampleCommand.decode(vocabulary, sample.tokens());
        Files.writeString(output.resolve("sample.txt"), sampleText, StandardCharsets.UTF_8);
        Path plot = output.resolve("loss.png");
        Plots.write(plot, Plots.chart("Training " + cell.name().toUpperCase(Locale.ROOT) + " on " + text.name,
                "step", "nats per " + unit, List.of(series("training (mean of 20 steps)", trainCurve),
                        series("validation", heldCurve))));
        report.line(String.format(Locale.ROOT, "best validation loss %.4f nats per %s (%.4f bits); checkpoint %s, "
                + "plot %s", best, unit, best / Math.log(2), checkpoint, plot));
        report.line("sample (temperature " + temperature + "):");
        report.line(sampleText);
        return 0;
    }

    private static Plots.Series series(String name, List<double[]> points) {
        return new Plots.Series(name, points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray());
    }

    private LearningRate schedule(long stepsPerEpoch) {
        LearningRate rate = switch (schedule) {
            case constant -> LearningRate.constant(learningRate);
            case step -> LearningRate.stepDecay(learningRate, decayEvery, gamma);
            case exponential -> LearningRate.exponential(learningRate,
                    (float) Math.pow(gamma, 1.0 / Math.max(1, stepsPerEpoch)));
            case cosine -> LearningRate.cosine(learningRate, stepsPerEpoch * epochs, learningRate / 100);
        };
        return warmup > 0 ? rate.withWarmup(warmup) : rate;
    }
}
