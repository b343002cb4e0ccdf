package org.jrnn.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.jrnn.core.LstmLayer;
import org.jrnn.core.OutputMode;
import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jrnn bench}: a quick table of LSTM streaming-step latency per backend and size. It times a simple loop
 * after a warm-up; for measurements to rely on, use the JMH benchmarks ({@code bench/run}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A quick (under a minute) table of LSTM step latency per backend and size.",
                "For serious measurement use the JMH benchmarks: bench/run LstmStep (see the README)."})
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--hidden", split = ",", defaultValue = "64,256,1024",
            description = "Hidden sizes (input = hidden) (default: ${DEFAULT-VALUE}).")
    List<Integer> hidden;

    @Option(names = "--batch", split = ",", defaultValue = "1,64", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--seconds", defaultValue = "0.5",
            description = "Measuring time per cell, after as long a warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public Integer call() {
        if (!(seconds > 0) || hidden.stream().anyMatch(h -> h < 1) || batches.stream().anyMatch(b -> b < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds, --hidden and --batch must be "
                    + "positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Backend> backends = Backends.available();
        out.println("LSTM streaming step (x, h, c in; h, c out), microseconds per step; " + seconds
                + " s per cell after a warm-up");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-8s %6s", "hidden", "batch"));
        for (Backend b : backends) {
            header.append(String.format(Locale.ROOT, " %12s", b.name()));
        }
        if (backends.size() > 1) {
            header.append(String.format(Locale.ROOT, " %10s", "speed-up"));
        }
        out.println(header);
        for (int h : hidden) {
            for (int batch : batches) {
                List<Double> micros = new ArrayList<>();
                for (Backend backend : backends) {
                    micros.add(measure(backend, h, batch));
                }
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-8d %6d", h, batch));
                micros.forEach(m -> row.append(String.format(Locale.ROOT, " %12.2f", m)));
                if (micros.size() > 1) {
                    row.append(String.format(Locale.ROOT, " %9.1fx", micros.get(micros.size() - 1) / micros.get(0)));
                }
                out.println(row);
                out.flush();
            }
        }
        if (backends.size() > 1) {
            out.println("speed-up: how many times faster " + backends.get(0).name() + " is than "
                    + backends.get(backends.size() - 1).name() + ".");
        }
        out.println("A quick loop, not a benchmark to rely on; for that: bench/run LstmStep -p hidden=256 -p batch=1");
        out.flush();
        return 0;
    }

    private double measure(Backend backend, int hidden, int batch) {
        LstmLayer layer = new LstmLayer(backend, hidden, hidden, OutputMode.SEQUENCE);
        layer.initialize(1);
        SplittableRandom r = new SplittableRandom(2);
        float[] x = new float[batch * hidden];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() - 0.5);
        }
        float[] h = new float[batch * hidden];
        float[] c = new float[batch * hidden];
        run(layer, batch, x, h, c, seconds);
        long[] stepsAndNanos = run(layer, batch, x, h, c, seconds);
        return stepsAndNanos[1] / 1e3 / stepsAndNanos[0];
    }

    private static long[] run(LstmLayer layer, int batch, float[] x, float[] h, float[] c, double seconds) {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long steps = 0;
        long now;
        do {
            for (int i = 0; i < 16; i++) {
                layer.step(batch, x, h, c);
            }
            steps += 16;
            now = System.nanoTime();
        } while (now < deadline);
        return new long[] {steps, now - start};
    }
}
