package org.jrnn.core;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import org.jrnn.spi.Backend;

/**
 * Hierarchical softmax (Morin and Bengio 2005) over a Huffman tree built from word frequencies (Mikolov et al.
 * 2013): each of the {@code V − 1} inner nodes has a vector {@code u} and a bias {@code b}, and a word's
 * probability is the product, along its path from the root, of {@code σ(u·h + b)} where the path turns left and
 * {@code σ(−(u·h + b))} where it turns right. The two branches of every node sum to 1, so the probabilities of
 * all words sum to exactly 1 (up to rounding). Training and scoring one word cost one dot product per node on
 * its path — {@code O(log V)}, and less for frequent words; {@link #predict} computes all {@code V}
 * log-probabilities in {@code O(V)} dot products.
 *
 * <p>Ties in the Huffman construction are broken by node index, so the same counts always give the same tree.
 * Parameters: {@code weight [V−1][inputSize]}, {@code bias [V−1]}, node {@code k} in creation order (the root
 * is the last).
 */
public final class HierarchicalSoftmax implements OutputLayer {
    public static final String WEIGHT = "weight";
    public static final String BIAS = "bias";

    private final Backend backend;
    private final int in;
    private final int classes;
    private final long[] counts;
    private final Parameters parameters;
    private final int w;
    private final int b;
    /** Per word, the inner nodes on its path from the root. */
    private final int[][] pathNodes;
    /** Per word, +1 where the path goes left at that node, −1 where it goes right. */
    private final byte[][] pathSigns;
    /** Inner nodes from the root down: node, left child, right child (child {@code < 0}: word {@code −1 − c}). */
    private final int[][] children;
    /** The longest path (the most inner nodes any word passes). */
    private final int maxDepth;
    private int rows;
    private float[] x;
    /** {@code [rows][maxDepth]} the node scores {@code u·h + b} along each target's path, kept for backward. */
    private float[] pathScores;
    private int[] targets;
    private int counted;
    private float[] dx;
    private float[] logProbs;
    private double[] nodeLogProb;

    /**
     * @param counts the frequency of each class (word) in the training data, each {@code >= 0}, at least two
     *               classes; they shape the tree, not the probabilities
     */
    public HierarchicalSoftmax(Backend backend, int inputSize, long[] counts) {
        this.backend = Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(counts, "counts");
        if (inputSize < 1 || counts.length < 2) {
            throw new IllegalArgumentException("hierarchical softmax: needs inputSize >= 1 and at least 2 classes,"
                    + " found inputSize=" + inputSize + " classes=" + counts.length);
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("hierarchical softmax: counts[" + i + "] must be >= 0, found "
                        + counts[i]);
            }
        }
        this.in = inputSize;
        this.classes = counts.length;
        this.counts = counts.clone();
        this.parameters = Parameters.builder("hsoftmax").add(WEIGHT, classes - 1, in).add(BIAS, 1, classes - 1)
                .build();
        this.w = parameters.tensor(WEIGHT).offset();
        this.b = parameters.tensor(BIAS).offset();
        this.children = new int[classes - 1][];
        this.pathNodes = new int[classes][];
        this.pathSigns = new byte[classes][];
        buildTree();
        int deepest = 0;
        for (int[] path : pathNodes) {
            deepest = Math.max(deepest, path.length);
        }
        this.maxDepth = deepest;
    }

    private void buildTree() {
        // queue entries: {count, id}; ids 0..V-1 are words, V.. are inner nodes in creation order
        PriorityQueue<long[]> queue = new PriorityQueue<>((p, q) -> p[0] != q[0] ? Long.compare(p[0], q[0])
                : Long.compare(p[1], q[1]));
        for (int i = 0; i < classes; i++) {
            queue.add(new long[] {counts[i], i});
        }
        int[] parent = new int[2 * classes - 1];
        byte[] sign = new byte[2 * classes - 1];
        int next = classes;
        while (queue.size() > 1) {
            long[] left = queue.poll();
            long[] right = queue.poll();
            int node = next++;
            parent[(int) left[1]] = node;
            sign[(int) left[1]] = 1;
            parent[(int) right[1]] = node;
            sign[(int) right[1]] = -1;
            children[node - classes] = new int[] {child((int) left[1]), child((int) right[1])};
            queue.add(new long[] {left[0] + right[0], node});
        }
        int root = next - 1;
        for (int word = 0; word < classes; word++) {
            int depth = 0;
            for (int v = word; v != root; v = parent[v]) {
                depth++;
            }
            int[] nodes = new int[depth];
            byte[] signs = new byte[depth];
            int k = depth;
            for (int v = word; v != root; v = parent[v]) {
                k--;
                nodes[k] = parent[v] - classes;
                signs[k] = sign[v];
            }
            pathNodes[word] = nodes;
            pathSigns[word] = signs;
        }
    }

    private int child(int id) {
        return id < classes ? -1 - id : id - classes;
    }

    /** Glorot-uniform node vectors and zero biases, seeded. */
    public HierarchicalSoftmax initialize(long seed) {
        Initializers.glorotUniform(parameters.values(), w, classes - 1, in, in, 1, new SplittableRandom(seed));
        Arrays.fill(parameters.values(), b, b + classes - 1, 0f);
        return this;
    }

    /** The word frequencies the tree was built from (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    /** The number of inner nodes on the path of {@code word} (its code length). */
    public int depth(int word) {
        return pathNodes[checkClass(word)].length;
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return classes;
    }

    @Override
    public boolean classifier() {
        return true;
    }

    private int checkClass(int word) {
        if (word < 0 || word >= classes) {
            throw new IllegalArgumentException("hierarchical softmax: class must be in [0, " + classes + "), found "
                    + word);
        }
        return word;
    }

    private float score(float[] h, int hOff, int node) {
        return backend.vectors().dot(in, parameters.values(), w + node * in, h, hOff) + parameters.values()[b + node];
    }

    /** {@code log σ(s)} without overflow. */
    private static double logSigmoid(double s) {
        return s >= 0 ? -Math.log1p(Math.exp(-s)) : s - Math.log1p(Math.exp(s));
    }

    /** The log-probability of {@code word} given features {@code h [inputSize]} at {@code hOff}: O(depth). */
    public double logProbability(float[] h, int hOff, int word) {
        return pathLogProbability(h, hOff, checkClass(word), null, 0);
    }

    /** Σ log σ(±score) along the path of {@code word}; the scores go to {@code scores} at {@code at} if given. */
    private double pathLogProbability(float[] h, int hOff, int word, float[] scores, int at) {
        double sum = 0;
        int[] nodes = pathNodes[word];
        for (int k = 0; k < nodes.length; k++) {
            float score = score(h, hOff, nodes[k]);
            if (scores != null) {
                scores[at + k] = score;
            }
            sum += logSigmoid(pathSigns[word][k] * score);
        }
        return sum;
    }

    @Override
    public double loss(float[] x, int rows, int[] classes, float[] values, boolean[] valid) {
        Objects.requireNonNull(x, "x");
        if (classes == null) {
            throw new IllegalArgumentException("hierarchical softmax: needs class-id targets, found "
                    + (values == null ? "none" : "real values"));
        }
        if (rows < 1 || x.length != (long) rows * in || classes.length != rows) {
            throw new IllegalArgumentException("hierarchical softmax: x must be [rows=" + rows + "][" + in
                    + "] and targets [rows], found " + x.length + " values and " + classes.length + " targets");
        }
        for (int r = 0; r < rows; r++) {
            if (classes[r] != SoftmaxCrossEntropy.IGNORE) {
                checkClass(classes[r]);
            }
        }
        if (rows != this.rows) {
            this.rows = rows;
            this.x = new float[rows * in];
            this.dx = new float[rows * in];
            this.targets = new int[rows];
            this.pathScores = new float[rows * maxDepth];
        }
        System.arraycopy(x, 0, this.x, 0, x.length);
        System.arraycopy(classes, 0, targets, 0, rows);
        counted = 0;
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            if (targets[r] != SoftmaxCrossEntropy.IGNORE) {
                loss -= pathLogProbability(this.x, r * in, targets[r], pathScores, r * maxDepth);
                counted++;
            }
        }
        return counted == 0 ? 0 : loss / counted;
    }

    @Override
    public float[] backward() {
        if (x == null) {
            throw new IllegalStateException("hierarchical softmax: backward called before loss");
        }
        Arrays.fill(dx, 0f);
        float[] p = parameters.values();
        float[] g = parameters.gradients();
        for (int r = 0; r < rows; r++) {
            int word = targets[r];
            if (word == SoftmaxCrossEntropy.IGNORE) {
                continue;
            }
            int[] nodes = pathNodes[word];
            for (int k = 0; k < nodes.length; k++) {
                int node = nodes[k];
                double s = pathSigns[word][k];
                double z = s * pathScores[r * maxDepth + k];
                // d/dscore of −log σ(s·score) = −s·(1 − σ(z)) = −s·σ(−z); averaged over the counted rows
                float d = (float) (-s / (1 + Math.exp(z)) / counted);
                backend.vectors().axpy(in, d, x, r * in, g, w + node * in);
                g[b + node] += d;
                backend.vectors().axpy(in, d, p, w + node * in, dx, r * in);
            }
        }
        return dx;
    }

    @Override
    public float[] predict(float[] x, int rows) {
        Objects.requireNonNull(x, "x");
        if (rows < 1 || x.length != (long) rows * in) {
            throw new IllegalArgumentException("hierarchical softmax: x must be [rows=" + rows + "][" + in
                    + "] = " + ((long) rows * in) + " values, found " + x.length);
        }
        if (logProbs == null || logProbs.length != rows * classes) {
            logProbs = new float[rows * classes];
            nodeLogProb = new double[classes - 1];
        }
        int root = classes - 2;
        for (int r = 0; r < rows; r++) {
            nodeLogProb[root] = 0;
            // nodes were created bottom-up, so walking them in reverse visits every parent before its children
            for (int node = root; node >= 0; node--) {
                double s = score(x, r * in, node);
                double base = nodeLogProb[node];
                int[] c = children[node];
                set(r, c[0], base + logSigmoid(s));
                set(r, c[1], base + logSigmoid(-s));
            }
        }
        return logProbs;
    }

    private void set(int row, int child, double logProb) {
        if (child < 0) {
            logProbs[row * classes + (-1 - child)] = (float) logProb;
        } else {
            nodeLogProb[child] = logProb;
        }
    }

    @Override
    public List<Parameters> parameters() {
        return List.of(parameters);
    }
}
