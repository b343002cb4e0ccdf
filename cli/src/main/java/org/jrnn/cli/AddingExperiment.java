package org.jrnn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.jrnn.core.Adam;
import org.jrnn.core.AddingProblem;
import org.jrnn.core.Batch;
import org.jrnn.core.Cell;
import org.jrnn.core.OutputMode;
import org.jrnn.core.SequenceModel;
import org.jrnn.core.Trainer;
import org.jrnn.spi.Backend;
import org.knowm.xchart.XYChart;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jrnn experiment adding}: the vanishing-gradient demonstration. A simple RNN, an LSTM and a GRU of the
 * same width train on the adding problem (Hochreiter and Schmidhuber 1997) at several sequence lengths with the
 * same budget of steps; the table gives the final validation MSE against the trivial baseline 1/6, and a PNG
 * plots the learning curves.
 */
@Command(name = "adding", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The adding problem: simple RNN, LSTM and GRU at several sequence lengths, same budget.",
                "Prints final mean squared errors against the baseline 0.167 and plots the learning curves."})
final class AddingExperiment implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--lengths", split = ",", defaultValue = "10,50,100,200",
            description = "Sequence lengths (default: ${DEFAULT-VALUE}).")
    List<Integer> lengths;

    @Option(names = "--cells", split = ",", defaultValue = "rnn,lstm,gru", description = "Cells (default: ${DEFAULT-VALUE}).")
    List<TrainCommand.CellOption> cells;

    @Option(names = "--steps", defaultValue = "2000", description = "Training steps per run (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--hidden", defaultValue = "64", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--batch", defaultValue = "32", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.003", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--eval-every", defaultValue = "100", description = "Steps between validations (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--output", defaultValue = "jrnn-output", paramLabel = "DIR",
            description = "Where adding.png goes (default: ${DEFAULT-VALUE}).")
    Path output;

    @Mixin
    RuntimeOptions runtime;

    /** The final MSE of one run and its curve. */
    record Run(TrainCommand.CellOption cell, int length, double finalMse, double[] steps, double[] mse,
               double seconds) {
    }

    @Override
    public Integer call() throws IOException {
        if (lengths.isEmpty() || lengths.stream().anyMatch(t -> t < 2) || steps < 1 || hidden < 1 || batch < 1
                || evalEvery < 1 || !(learningRate > 0) || cells.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "need lengths >= 2 and positive --steps, "
                    + "--hidden, --batch, --eval-every and --lr");
        }
        Backend backend = runtime.backend();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "adding problem: %s at lengths %s, %d units, %d steps of %d sequences, Adam %.4g, "
                + "backend %s; baseline MSE %.3f%n", cells, lengths, hidden, steps, batch, learningRate,
                backend.name(), AddingProblem.BASELINE_MSE);
        out.flush();
        List<Run> runs = new ArrayList<>();
        for (int length : lengths) {
            for (TrainCommand.CellOption cell : cells) {
                Run run = train(backend, cell.cell, cell, length);
                runs.add(run);
                out.printf(Locale.ROOT, "  %-4s T=%-4d final MSE %.4f (%.1f s)%n", cell, length, run.finalMse(),
                        run.seconds());
                out.flush();
            }
        }
        out.println();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-8s", "length"));
        cells.forEach(c -> header.append(String.format(Locale.ROOT, " %10s", c.name().toUpperCase(Locale.ROOT))));
        header.append(String.format(Locale.ROOT, " %10s", "baseline"));
        out.println(header);
        for (int length : lengths) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-8d", length));
            for (TrainCommand.CellOption cell : cells) {
                runs.stream().filter(r -> r.length() == length && r.cell() == cell).findFirst()
                        .ifPresent(r -> row.append(String.format(Locale.ROOT, " %10.4f", r.finalMse())));
            }
            row.append(String.format(Locale.ROOT, " %10.3f", AddingProblem.BASELINE_MSE));
            out.println(row);
        }
        List<XYChart> charts = new ArrayList<>();
        for (int length : lengths) {
            List<Plots.Series> series = new ArrayList<>();
            for (Run r : runs) {
                if (r.length() == length) {
                    series.add(new Plots.Series(r.cell().name().toUpperCase(Locale.ROOT), r.steps(), r.mse()));
                }
            }
            double[] ends = {0, steps};
            series.add(new Plots.Series("baseline 1/6", ends, new double[] {AddingProblem.BASELINE_MSE,
                    AddingProblem.BASELINE_MSE}));
            charts.add(Plots.chart("adding problem, T = " + length, "step", "validation MSE (log scale)", series,
                    true));
        }
        Path plot = output.resolve("adding.png");
        int columns = Math.min(2, charts.size());
        Plots.write(plot, charts, (charts.size() + columns - 1) / columns, columns);
        out.println("learning curves: " + plot);
        out.flush();
        return 0;
    }

    private Run train(Backend backend, Cell cell, TrainCommand.CellOption name, int length) {
        long start = System.nanoTime();
        SequenceModel model = SequenceModel.builder(backend).input(AddingProblem.FEATURES)
                .recurrent(cell, hidden, OutputMode.LAST).regression(1).build(seed);
        Trainer trainer = new Trainer(model, new Adam(backend, learningRate)).clipNorm(1f);
        SplittableRandom data = new SplittableRandom(seed + length);
        List<Batch> validation = List.of(AddingProblem.batch(new SplittableRandom(seed * 31 + length), 512, length));
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        xs.add(0.0);
        ys.add(model.evaluate(validation));
        for (int step = 1; step <= steps; step++) {
            trainer.step(AddingProblem.batch(data, batch, length));
            if (step % evalEvery == 0 || step == steps) {
                xs.add((double) step);
                ys.add(model.evaluate(validation));
            }
        }
        // a logarithmic axis needs positive values; an MSE of exactly 0 is drawn at 1e-9
        ys.replaceAll(v -> Math.max(v, 1e-9));
        return new Run(name, length, ys.get(ys.size() - 1), xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray(), (System.nanoTime() - start) / 1e9);
    }
}
