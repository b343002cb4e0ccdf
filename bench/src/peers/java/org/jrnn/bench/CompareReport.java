package org.jrnn.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Reads the JMH JSON results of jrnn's LSTM and GRU benchmarks and the peers' (PyTorch, ONNX Runtime), taken in one
 * run, and writes a Markdown table of µs per time step with the ratio faster-peer / jrnn per cell, and a PNG
 * chart of latency against hidden size (log scales), one line per library and workload.
 *
 * <p>Usage: {@code CompareReport OUT.md OUT.png RESULT.json…} where each result file's name ends in
 * {@code -t1.json} or {@code -t2.json} (the thread count).
 */
public final class CompareReport {
    /** One measured cell: library, workload, batch, threads, hidden → µs per step. */
    record Key(String workload, int batch, int threads) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Integer.compare(threads, o.threads);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(order(workload), order(o.workload));
            return c != 0 ? c : Integer.compare(batch, o.batch);
        }

        private static int order(String w) {
            return List.of("step", "forward", "forwardBackward", "GRU step", "GRU forward", "GRU forwardBackward")
                    .indexOf(w);
        }
    }

    private CompareReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: CompareReport OUT.md OUT.png RESULT.json...");
            System.exit(2);
        }
        // library -> key -> hidden -> µs
        Map<String, Map<Key, TreeMap<Integer, Double>>> results = new TreeMap<>();
        for (Result r : read(List.of(args).subList(2, args.length))) {
            // the faster of the two ways of calling a peer's step
            results.computeIfAbsent(r.library(), k -> new TreeMap<>())
                    .computeIfAbsent(r.key(), k -> new TreeMap<>())
                    .merge(r.hidden(), r.score(), Math::min);
        }
        Files.writeString(Path.of(args[0]), table(results), StandardCharsets.UTF_8);
        chart(results, Path.of(args[1]));
    }

    /** One JMH result of a compared benchmark: which library, which cell, µs per time step; {@code file} is its file. */
    record Result(String file, String library, Key key, int hidden, double score) {
    }

    /**
     * The results of jrnn's and the peers' LSTM and GRU benchmarks in JMH JSON {@code files} (jrnn's on the SIMD
     * backend only). A file whose name ends in {@code -t2.json} holds 2-thread results of benchmarks that have no
     * {@code threads} parameter (jrnn's, which take it from {@code -Djrnn.threads}); other files, 1 thread.
     */
    static List<Result> read(List<String> files) throws IOException {
        List<Result> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String file : files) {
            int threadsOfFile = file.endsWith("-t2.json") ? 2 : 1;
            for (JsonNode run : json.readTree(new File(file))) {
                String benchmark = run.get("benchmark").asText();
                String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
                String cls = benchmark.substring(0, benchmark.lastIndexOf('.'));
                JsonNode params = run.get("params");
                int hidden = params.get("hidden").asInt();
                int batch = params.get("batch").asInt();
                int threads = params.has("threads") ? params.get("threads").asInt() : threadsOfFile;
                if (params.has("backend") && !params.get("backend").asText().equals("simd")) {
                    continue;
                }
                String library;
                String workload;
                if (cls.endsWith("PyTorchLstmBenchmark")) {
                    library = "PyTorch";
                    workload = method.startsWith("step") ? "step" : method;
                } else if (cls.endsWith("PyTorchGruBenchmark")) {
                    library = "PyTorch";
                    workload = "GRU " + (method.startsWith("step") ? "step" : method);
                } else if (cls.endsWith("GruStepBenchmark")) {
                    library = "jrnn";
                    workload = "GRU step";
                } else if (cls.endsWith("GruSequenceBenchmark")) {
                    library = "jrnn";
                    workload = "GRU " + sequenceWorkload(method);
                } else if (cls.endsWith("OnnxRuntimeLstmBenchmark")) {
                    library = "ONNX Runtime";
                    workload = method;
                } else if (cls.endsWith("OnnxRuntimeGruBenchmark")) {
                    library = "ONNX Runtime";
                    workload = "GRU " + method;
                } else if (cls.endsWith("LstmStepBenchmark")) {
                    library = "jrnn";
                    workload = "step";
                } else if (cls.endsWith("LstmSequenceBenchmark")) {
                    library = "jrnn";
                    workload = sequenceWorkload(method);
                } else {
                    continue;
                }
                if (workload == null) {
                    continue;
                }
                out.add(new Result(file, library, new Key(workload, batch, threads), hidden,
                        run.get("primaryMetric").get("score").asDouble()));
            }
        }
        return out;
    }

    /**
     * The compared workload of a jrnn sequence benchmark: the peers' forward is inference (PyTorch without
     * gradients, ONNX Runtime), so jrnn's {@code infer} stands for it, not its training forward, which keeps
     * what backward needs; null for a benchmark outside the comparison.
     */
    private static String sequenceWorkload(String method) {
        return switch (method) {
            case "infer" -> "forward";
            case "forwardBackward" -> method;
            default -> null;
        };
    }

    private static String table(Map<String, Map<Key, TreeMap<Integer, Double>>> results) {
        Map<Key, TreeMap<Integer, Double>> jrnn = results.getOrDefault("jrnn", Map.of());
        TreeSet<Integer> sizes = new TreeSet<>();
        jrnn.values().forEach(m -> sizes.addAll(m.keySet()));
        StringBuilder md = new StringBuilder("| threads | workload | batch |");
        sizes.forEach(h -> md.append(" H=").append(h).append(" |"));
        md.append("\n|---|---|---|");
        sizes.forEach(h -> md.append("---|"));
        md.append('\n');
        for (Key key : new TreeSet<>(jrnn.keySet())) {
            md.append("| ").append(key.threads()).append(" | ").append(key.workload()).append(" | ")
                    .append(key.batch()).append(" |");
            for (int h : sizes) {
                Double ours = jrnn.get(key).get(h);
                String best = null;
                double bestScore = Double.POSITIVE_INFINITY;
                for (String peer : List.of("PyTorch", "ONNX Runtime")) {
                    Double s = results.getOrDefault(peer, Map.of()).getOrDefault(key, new TreeMap<>()).get(h);
                    if (s != null && s < bestScore) {
                        bestScore = s;
                        best = peer.substring(0, 1);
                    }
                }
                if (ours == null) {
                    md.append(" – |");
                } else if (best == null) {
                    md.append(String.format(Locale.ROOT, " %s |", number(ours)));
                } else {
                    md.append(String.format(Locale.ROOT, " %s vs %s %s: **%.2f×** |", number(ours), number(bestScore),
                            best, bestScore / ours));
                }
            }
            md.append('\n');
        }
        md.append("\nµs per time step: jrnn vs the faster peer (P = PyTorch, O = ONNX Runtime) and their ratio "
                + "(above 1: jrnn is faster).\n");
        return md.toString();
    }

    static String number(double v) {
        return v >= 9.95 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
    }

    private static void chart(Map<String, Map<Key, TreeMap<Integer, Double>>> results, Path file) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        TreeSet<Key> keys = new TreeSet<>();
        results.values().forEach(m -> keys.addAll(m.keySet()));
        for (Key key : keys) {
            XYChart chart = new XYChartBuilder().width(600).height(400).title(key.workload() + ", batch " + key.batch()
                    + ", " + key.threads() + " thread(s)").xAxisTitle("hidden").yAxisTitle("µs per step").build();
            chart.getStyler().setXAxisLogarithmic(true);
            chart.getStyler().setYAxisLogarithmic(true);
            for (Map.Entry<String, Map<Key, TreeMap<Integer, Double>>> lib : results.entrySet()) {
                TreeMap<Integer, Double> points = lib.getValue().get(key);
                if (points != null && !points.isEmpty()) {
                    var series = chart.addSeries(lib.getKey(), points.keySet().stream()
                            .mapToDouble(Integer::doubleValue).toArray(), points.values().stream()
                            .mapToDouble(Double::doubleValue).toArray());
                    // one colour per library in every panel
                    java.awt.Color color = switch (lib.getKey()) {
                        case "jrnn" -> new java.awt.Color(0xC0392B);
                        case "PyTorch" -> new java.awt.Color(0xE67E22);
                        default -> new java.awt.Color(0x2E86C1);
                    };
                    series.setLineColor(color);
                    series.setMarkerColor(color);
                }
            }
            charts.add(chart);
        }
        int columns = 2;
        BitmapEncoder.saveBitmap(charts, (charts.size() + columns - 1) / columns, columns, file.toString(),
                BitmapEncoder.BitmapFormat.PNG);
    }
}
