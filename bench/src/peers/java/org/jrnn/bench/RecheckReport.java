package org.jrnn.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report of {@code bench/recheck.sh}: cells of the comparison measured in interleaved rounds (jrnn and the peers
 * one after the other, cell by cell, round after round), so that the machine's drift over minutes falls on both
 * sides of each ratio. For every cell it lists each round's µs per time step of jrnn and of the faster peer in that
 * round, their ratio, and the median and lowest ratio over the rounds.
 *
 * <p>Usage: {@code RecheckReport OUT.md RESULT.json…}, each file named {@code r<round>-…json} (and ending in
 * {@code -t2.json} for jrnn's 2-thread results, as for {@link CompareReport}).
 */
public final class RecheckReport {
    private static final Pattern ROUND = Pattern.compile("^r(\\d+)-");

    /** A cell of the table: workload, batch and threads, and the hidden size. */
    record Cell(CompareReport.Key key, int hidden) implements Comparable<Cell> {
        @Override
        public int compareTo(Cell o) {
            int c = key.compareTo(o.key);
            return c != 0 ? c : Integer.compare(hidden, o.hidden);
        }
    }

    /** One round of one cell: jrnn's time and the faster peer's (NaN while missing). */
    private static final class Round {
        double jrnn = Double.NaN;
        double peer = Double.POSITIVE_INFINITY;
        String peerName;
    }

    private RecheckReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: RecheckReport OUT.md RESULT.json...");
            System.exit(2);
        }
        Map<Cell, TreeMap<Integer, Round>> cells = new TreeMap<>();
        for (CompareReport.Result r : CompareReport.read(List.of(args).subList(1, args.length))) {
            String name = Path.of(r.file()).getFileName().toString();
            Matcher m = ROUND.matcher(name);
            if (!m.find()) {
                throw new IllegalArgumentException("expected a result file named r<round>-…json, found " + name);
            }
            Round round = cells.computeIfAbsent(new Cell(r.key(), r.hidden()), c -> new TreeMap<>())
                    .computeIfAbsent(Integer.parseInt(m.group(1)), k -> new Round());
            if (r.library().equals("jrnn")) {
                round.jrnn = r.score();
            } else if (r.score() < round.peer) {
                round.peer = r.score();
                round.peerName = r.library().substring(0, 1);
            }
        }
        Files.writeString(Path.of(args[0]), table(cells), StandardCharsets.UTF_8);
    }

    static String table(Map<Cell, TreeMap<Integer, Round>> cells) {
        StringBuilder md = new StringBuilder(
                "| threads | workload | batch | H | each round: jrnn vs faster peer (ratio) | median ratio | lowest |\n"
                        + "|---|---|---|---|---|---|---|\n");
        for (Map.Entry<Cell, TreeMap<Integer, Round>> e : cells.entrySet()) {
            CompareReport.Key key = e.getKey().key();
            List<String> rounds = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (Round r : e.getValue().values()) {
                if (Double.isNaN(r.jrnn) || r.peerName == null) {
                    rounds.add("incomplete");
                    continue;
                }
                double ratio = r.peer / r.jrnn;
                ratios.add(ratio);
                rounds.add(String.format(Locale.ROOT, "%s vs %s %s (%.2f×)", CompareReport.number(r.jrnn),
                        CompareReport.number(r.peer), r.peerName, ratio));
            }
            md.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %s | %s | %s |%n", key.threads(),
                    key.workload(), key.batch(), e.getKey().hidden(), String.join("; ", rounds),
                    ratios.isEmpty() ? "–" : String.format(Locale.ROOT, "**%.2f×**", median(ratios)),
                    ratios.isEmpty() ? "–" : String.format(Locale.ROOT, "%.2f×",
                            ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow())));
        }
        md.append("\nµs per time step in each round; ratio = faster peer / jrnn (above 1: jrnn is faster). "
                + "P = PyTorch, O = ONNX Runtime.\n");
        return md.toString();
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
