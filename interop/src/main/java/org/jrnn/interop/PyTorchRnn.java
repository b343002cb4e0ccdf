package org.jrnn.interop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jrnn.core.OutputMode;
import org.jrnn.core.RecurrentLayer;
import org.jrnn.core.RecurrentOutput;
import org.jrnn.spi.Backend;

/**
 * A stack of recurrent layers with the semantics, weights and tensor layouts of PyTorch's {@code nn.LSTM},
 * {@code nn.GRU} and {@code nn.RNN}: {@code num_layers} layers, one or two directions (layer k > 0 reads the
 * concatenation {@code [forward, backward]} of layer k − 1), initial and final states {@code [L·D][B][H]}
 * (index {@code layer·D + direction}), input and output time-major or, with {@code batch_first}, batch-major.
 * The weights map one to one onto PyTorch's state_dict names ({@code weight_ih_l{k}[_reverse]}, …) with the
 * same gate order, so no gate is permuted; without bias the jrnn layers keep zero biases.
 */
public final class PyTorchRnn {
    private final RnnConfig config;
    /** [layer][direction]. */
    private final RecurrentLayer[][] layers;

    private PyTorchRnn(RnnConfig config, RecurrentLayer[][] layers) {
        this.config = config;
        this.layers = layers;
    }

    /**
     * A view of existing layers ({@code [layer][direction]}, e.g. a jrnn model's) as a PyTorch stack of
     * {@code config}: weights read and written through it are the layers' own.
     *
     * @throws IllegalArgumentException if the layers do not have the config's shape
     */
    static PyTorchRnn view(RnnConfig config, List<List<RecurrentLayer>> stack) {
        RecurrentLayer[][] layers = new RecurrentLayer[stack.size()][];
        for (int k = 0; k < layers.length; k++) {
            layers[k] = stack.get(k).toArray(new RecurrentLayer[0]);
            if (layers[k].length != config.directions()) {
                throw new IllegalArgumentException("layer " + k + " has " + layers[k].length + " directions, "
                        + config.describe() + " needs " + config.directions());
            }
            for (RecurrentLayer l : layers[k]) {
                if (l.hiddenSize() != config.hiddenSize()) {
                    throw new IllegalArgumentException("layer " + k + " has " + l.hiddenSize() + " units, "
                            + config.describe() + " needs " + config.hiddenSize());
                }
            }
        }
        if (layers.length != config.numLayers()) {
            throw new IllegalArgumentException(layers.length + " layers, " + config.describe() + " needs "
                    + config.numLayers());
        }
        return new PyTorchRnn(config, layers);
    }

    /** A stack with zero weights. */
    public PyTorchRnn(Backend backend, RnnConfig config) {
        Objects.requireNonNull(backend, "backend");
        this.config = Objects.requireNonNull(config, "config");
        int d = config.directions();
        layers = new RecurrentLayer[config.numLayers()][d];
        for (int k = 0; k < config.numLayers(); k++) {
            int in = k == 0 ? config.inputSize() : d * config.hiddenSize();
            for (int dir = 0; dir < d; dir++) {
                layers[k][dir] = config.cell().create(backend, in, config.hiddenSize(), OutputMode.SEQUENCE);
            }
        }
    }

    public RnnConfig config() {
        return config;
    }

    /** The layer of depth {@code k} and direction {@code direction} (0 forward, 1 backward). */
    public RecurrentLayer layer(int k, int direction) {
        return layers[k][direction];
    }

    /** The state_dict name of a tensor ({@code weight_ih}, …) of a layer and direction. */
    public static String name(String tensor, int k, int direction) {
        return tensor + "_l" + k + (direction == 1 ? "_reverse" : "");
    }

    /** One state_dict entry: its name (without prefix), shape, and where it lives in jrnn. */
    private record Entry(String name, int[] shape, RecurrentLayer layer, String tensor) {
    }

    /** The state_dict this stack has, in PyTorch's order. */
    private List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        int rows = config.gates() * config.hiddenSize();
        for (int k = 0; k < config.numLayers(); k++) {
            for (int dir = 0; dir < config.directions(); dir++) {
                RecurrentLayer l = layers[k][dir];
                entries.add(new Entry(name("weight_ih", k, dir), new int[] {rows, l.inputSize()}, l, "weight_ih"));
                entries.add(new Entry(name("weight_hh", k, dir), new int[] {rows, config.hiddenSize()}, l,
                        "weight_hh"));
                if (config.bias()) {
                    entries.add(new Entry(name("bias_ih", k, dir), new int[] {rows}, l, "bias_ih"));
                    entries.add(new Entry(name("bias_hh", k, dir), new int[] {rows}, l, "bias_hh"));
                }
            }
        }
        return entries;
    }

    /** The expected state_dict, name to shape, in PyTorch's order. */
    public Map<String, int[]> expectedShapes() {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        entries().forEach(e -> shapes.put(e.name(), e.shape()));
        return shapes;
    }

    /**
     * A stack with the weights of a state_dict: tensors {@code prefix + name}; others with that prefix are
     * unexpected. Nothing is built unless every tensor is present, expected and of the right shape.
     *
     * @throws IllegalArgumentException listing every missing, unexpected or misshapen tensor by name
     */
    public static PyTorchRnn load(Backend backend, RnnConfig config, SafeTensors weights, String prefix) {
        return new PyTorchRnn(backend, config).assign(weights, prefix);
    }

    /**
     * Copies the weights of a state_dict into this stack's layers, after checking every tensor (nothing is
     * copied unless all fit).
     *
     * @throws IllegalArgumentException listing every missing, unexpected or misshapen tensor by name
     */
    PyTorchRnn assign(SafeTensors weights, String prefix) {
        List<Entry> entries = entries();
        List<String> problems = new ArrayList<>();
        java.util.Set<String> expected = new java.util.HashSet<>();
        for (Entry e : entries) {
            expected.add(e.name());
            SafeTensors.Tensor t = weights.get(prefix + e.name());
            if (t == null) {
                problems.add("missing tensor '" + prefix + e.name() + "' " + java.util.Arrays.toString(e.shape()));
            } else if (!java.util.Arrays.equals(t.shape(), e.shape())) {
                problems.add("tensor '" + t.name() + "' has shape " + t.shapeText() + ", expected "
                        + java.util.Arrays.toString(e.shape()));
            }
        }
        for (String name : weights.tensors().keySet()) {
            if (name.startsWith(prefix) && !expected.contains(name.substring(prefix.length()))) {
                problems.add("unexpected tensor '" + name + "' " + weights.get(name).shapeText());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the weights do not fit " + config.describe() + ": "
                    + String.join("; ", problems));
        }
        for (Entry e : entries) {
            e.layer().parameters().set(e.tensor(), weights.get(prefix + e.name()).values());
        }
        return this;
    }

    /** The weights as a PyTorch state_dict, in PyTorch's order, names prefixed by {@code prefix}. */
    public List<SafeTensors.Tensor> export(String prefix) {
        List<SafeTensors.Tensor> out = new ArrayList<>();
        for (Entry e : entries()) {
            out.add(new SafeTensors.Tensor(prefix + e.name(), e.shape(), e.layer().parameters().get(e.tensor())));
        }
        return out;
    }

    /**
     * The results of {@link #forward}, in PyTorch's layouts.
     *
     * @param output {@code [T][B][D·H]}, or {@code [B][T][D·H]} with batch_first
     * @param hN     {@code [L·D][B][H]}
     * @param cN     likewise for the LSTM, else null
     */
    public record Result(float[] output, float[] hN, float[] cN) {
    }

    /** The input's shape: {@code [T, B, X]}, or {@code [B, T, X]} with batch_first. */
    public int[] inputShape(int seq, int batch) {
        return config.batchFirst() ? new int[] {batch, seq, config.inputSize()}
                : new int[] {seq, batch, config.inputSize()};
    }

    /** The output's shape. */
    public int[] outputShape(int seq, int batch) {
        int width = config.directions() * config.hiddenSize();
        return config.batchFirst() ? new int[] {batch, seq, width} : new int[] {seq, batch, width};
    }

    /** The states' shape {@code [L·D, B, H]}. */
    public int[] stateShape(int batch) {
        return new int[] {config.numLayers() * config.directions(), batch, config.hiddenSize()};
    }

    /**
     * PyTorch's {@code output, h_n = rnn(input, h0)} (and {@code (h_n, c_n)} for the LSTM).
     *
     * @param h0 {@code [L·D][B][H]}, or null for zeros
     * @param c0 likewise (LSTM only), or null
     * @throws IllegalArgumentException naming the array whose size is wrong
     */
    public Result forward(float[] input, int seq, int batch, float[] h0, float[] c0) {
        int d = config.directions();
        int hidden = config.hiddenSize();
        int bh = batch * hidden;
        requireSize("input", input, (long) seq * batch * config.inputSize());
        requireSize("h0", h0, (long) config.numLayers() * d * bh);
        if (!config.cell().hasCellState() && c0 != null) {
            throw new IllegalArgumentException("c0 is only for the LSTM, this is a " + config.mode());
        }
        requireSize("c0", c0, (long) config.numLayers() * d * bh);
        float[] x = config.batchFirst() ? input : swapBatchAndTime(input, seq, batch, config.inputSize());
        float[] hN = new float[config.numLayers() * d * bh];
        float[] cN = config.cell().hasCellState() ? new float[hN.length] : null;
        for (int k = 0; k < config.numLayers(); k++) {
            RecurrentLayer first = layers[k][0];
            float[] next = new float[batch * seq * d * hidden];
            for (int dir = 0; dir < d; dir++) {
                RecurrentLayer layer = layers[k][dir];
                int s = k * d + dir;
                float[] in = dir == 0 ? x : reverseTime(x, batch, seq, first.inputSize());
                RecurrentOutput out = layer.forward(in, batch, seq, null, slice(h0, s, bh),
                        cN == null ? null : slice(c0, s, bh));
                float[] y = dir == 0 ? out.output() : reverseTime(out.output(), batch, seq, hidden);
                for (int r = 0; r < batch * seq; r++) {
                    System.arraycopy(y, r * hidden, next, (r * d + dir) * hidden, hidden);
                }
                System.arraycopy(out.hN(), 0, hN, s * bh, bh);
                if (cN != null) {
                    System.arraycopy(out.cN(), 0, cN, s * bh, bh);
                }
            }
            x = next;
        }
        float[] output = config.batchFirst() ? x : swapBatchAndTime(x, batch, seq, d * hidden);
        return new Result(output, hN, cN);
    }

    private static void requireSize(String name, float[] a, long expected) {
        if (a != null && a.length != expected) {
            throw new IllegalArgumentException(name + " must have " + expected + " values, found " + a.length);
        }
    }

    private static float[] slice(float[] a, int index, int size) {
        return a == null ? null : java.util.Arrays.copyOfRange(a, index * size, (index + 1) * size);
    }

    /** {@code [A][B][W]} to {@code [B][A][W]}. */
    static float[] swapBatchAndTime(float[] a, int outer, int inner, int width) {
        float[] out = new float[a.length];
        for (int i = 0; i < outer; i++) {
            for (int j = 0; j < inner; j++) {
                System.arraycopy(a, (i * inner + j) * width, out, (j * outer + i) * width, width);
            }
        }
        return out;
    }

    /** Each sequence of {@code [B][T][W]} with its steps in reverse order. */
    private static float[] reverseTime(float[] a, int batch, int seq, int width) {
        float[] out = new float[a.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) {
                System.arraycopy(a, (b * seq + t) * width, out, (b * seq + seq - 1 - t) * width, width);
            }
        }
        return out;
    }
}
