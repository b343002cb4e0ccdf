package org.jrnn.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.jrnn.spi.Backend;
import org.jrnn.spi.RnnActivation;
import org.jrnn.tck.GradientChecker;
import org.jrnn.tck.ReferenceCells;
import org.jrnn.tck.ReferenceCells.Kind;

/** Builds layers of every kind and compares them with the tck's double-precision reference cells. */
final class Harness {
    private Harness() {
    }

    static RecurrentLayer layer(Kind kind, Backend backend, int input, int hidden, OutputMode mode) {
        return switch (kind) {
            case LSTM -> new LstmLayer(backend, input, hidden, mode);
            case GRU -> new GruLayer(backend, input, hidden, GruLayer.Form.RESET_AFTER, mode);
            case GRU_RESET_BEFORE -> new GruLayer(backend, input, hidden, GruLayer.Form.RESET_BEFORE, mode);
            case RNN_TANH -> new SimpleRnnLayer(backend, input, hidden, RnnActivation.TANH, mode);
            case RNN_RELU -> new SimpleRnnLayer(backend, input, hidden, RnnActivation.RELU, mode);
        };
    }

    static float[] uniform(SplittableRandom random, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((2 * random.nextDouble() - 1) * scale);
        }
        return a;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** One gradient-check problem: everything a forward and backward need, drawn from a seed. */
    static final class Problem {
        final Kind kind;
        final RecurrentLayer layer;
        final int batch;
        final int time;
        final int[] lengths;
        final float[] x;
        final float[] h0;
        final float[] c0;
        final float[] rOut;
        final float[] rH;
        final float[] rC;

        Problem(Kind kind, Backend backend, int input, int hidden, int batch, int time, boolean withLengths,
                OutputMode mode, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            this.kind = kind;
            this.layer = layer(kind, backend, input, hidden, mode);
            this.batch = batch;
            this.time = time;
            float[] p = uniform(random, layer.parameters().size(), 0.6);
            System.arraycopy(p, 0, layer.parameters().values(), 0, p.length);
            this.lengths = withLengths ? org.jrnn.tck.Generators.lengths(seed, batch, time) : null;
            this.x = uniform(random, batch * time * input, 1.5);
            this.h0 = uniform(random, batch * hidden, 0.8);
            this.c0 = kind == Kind.LSTM ? uniform(random, batch * hidden, 0.8) : null;
            int outLength = mode == OutputMode.SEQUENCE ? batch * time * hidden : batch * hidden;
            this.rOut = uniform(random, outLength, 1);
            this.rH = uniform(random, batch * hidden, 1);
            this.rC = kind == Kind.LSTM ? uniform(random, batch * hidden, 1) : null;
        }

        /** The reference parameters from the point's leading coordinates. */
        ReferenceCells.Params reference(double[] point) {
            Parameters ps = layer.parameters();
            return new ReferenceCells.Params(kind, layer.inputSize(), layer.hiddenSize(),
                    slice(point, ps.tensor(RecurrentLayer.WEIGHT_IH)), slice(point, ps.tensor(RecurrentLayer.WEIGHT_HH)),
                    slice(point, ps.tensor(RecurrentLayer.BIAS_IH)), slice(point, ps.tensor(RecurrentLayer.BIAS_HH)));
        }

        private static double[] slice(double[] point, Parameters.Tensor t) {
            return java.util.Arrays.copyOfRange(point, t.offset(), t.offset() + t.size());
        }

        /** [parameters, x, h0, (c0)] as one vector, and the blocks naming its parts. */
        double[] point() {
            List<float[]> parts = parts(layer.parameters().values(), x, h0, c0);
            return toDouble(concat(parts));
        }

        List<GradientChecker.Block> blocks() {
            List<GradientChecker.Block> blocks = new ArrayList<>();
            int off = 0;
            for (Parameters.Tensor t : layer.parameters().tensors()) {
                blocks.add(new GradientChecker.Block(t.name(), t.offset(), t.size()));
            }
            off += layer.parameters().size();
            blocks.add(new GradientChecker.Block("x", off, x.length));
            off += x.length;
            blocks.add(new GradientChecker.Block("h0", off, h0.length));
            off += h0.length;
            if (c0 != null) {
                blocks.add(new GradientChecker.Block("c0", off, c0.length));
            }
            return blocks;
        }

        /** Σ rOut·output + Σ rH·hN + Σ rC·cN by the double reference, at a point. */
        double referenceLoss(double[] point) {
            int np = layer.parameters().size();
            int hb = batch * layer.hiddenSize();
            double[] xd = java.util.Arrays.copyOfRange(point, np, np + x.length);
            double[] h0d = java.util.Arrays.copyOfRange(point, np + x.length, np + x.length + hb);
            double[] c0d = c0 == null ? null
                    : java.util.Arrays.copyOfRange(point, np + x.length + hb, np + x.length + 2 * hb);
            ReferenceCells.Result r = ReferenceCells.forward(reference(point), xd, batch, time, lengths, h0d, c0d);
            double[] out = layer.outputMode() == OutputMode.SEQUENCE ? r.output() : r.hN();
            double loss = dot(rOut, out) + dot(rH, r.hN());
            if (rC != null) {
                loss += dot(rC, r.cN());
            }
            return loss;
        }

        /** The float layer's gradient of the same loss, in the layout of {@link #point()}. */
        double[] analyticGradient() {
            layer.forward(x, batch, time, lengths, h0, c0);
            layer.parameters().zeroGradients();
            RecurrentGradients g = layer.backward(rOut, rH, rC);
            return toDouble(concat(parts(layer.parameters().gradients(), g.dInput(), g.dh0(), g.dc0())));
        }

        private static List<float[]> parts(float[] first, float[] second, float[] third, float[] fourth) {
            List<float[]> list = new ArrayList<>(List.of(first, second, third));
            if (fourth != null) {
                list.add(fourth);
            }
            return list;
        }

        private static float[] concat(List<float[]> parts) {
            int n = parts.stream().mapToInt(a -> a.length).sum();
            float[] all = new float[n];
            int off = 0;
            for (float[] a : parts) {
                System.arraycopy(a, 0, all, off, a.length);
                off += a.length;
            }
            return all;
        }

        private static double dot(float[] r, double[] v) {
            double s = 0;
            for (int i = 0; i < v.length; i++) {
                s += r[i] * v[i];
            }
            return s;
        }

        GradientChecker.Report check() {
            double[] analytic = analyticGradient();
            return GradientChecker.check(this::referenceLoss, point(), analytic, blocks());
        }

        @Override
        public String toString() {
            return kind + " " + layer.outputMode() + " batch=" + batch + " time=" + time + " lengths="
                    + java.util.Arrays.toString(lengths);
        }
    }
}
