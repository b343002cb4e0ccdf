package org.jrnn.core;

import java.util.ArrayList;
import java.util.List;

import org.jrnn.tck.GradientChecker;

/** Gradient checks of whole models: analytic gradients of every trainable parameter against the five-point stencil. */
final class ModelGradients {
    /** Stencil step for losses computed in float. */
    static final double STEP = 1e-2;
    /**
     * The numeric gradient of a float loss L with step h errs by about 1.5·2⁻²⁴·|L|/h from rounding (≈ 1e-5·|L|
     * here) plus O(h⁴) truncation: twice GradientChecker's double-precision bounds leaves room for that and
     * still fails a sign flip by orders of magnitude (see the broken-gradient test).
     */
    static final double RELATIVE = 2e-3;
    static final double ABSOLUTE = 2e-4;

    private ModelGradients() {
    }

    /** The check of {@code loss} (which runs a forward pass and returns the loss) at the current parameters. */
    static GradientChecker.Report check(List<Parameters> parameters, Runnable zeroGradients,
                                        java.util.function.DoubleSupplier loss, Runnable backward) {
        zeroGradients.run();
        loss.getAsDouble();
        backward.run();
        int n = 0;
        List<GradientChecker.Block> blocks = new ArrayList<>();
        for (Parameters p : parameters) {
            for (Parameters.Tensor t : p.tensors()) {
                blocks.add(new GradientChecker.Block(p.owner() + "." + t.name(), n + t.offset(), t.size()));
            }
            n += p.size();
        }
        double[] analytic = new double[n];
        double[] point = new double[n];
        int at = 0;
        for (Parameters p : parameters) {
            for (int i = 0; i < p.size(); i++) {
                analytic[at + i] = p.gradients()[i];
                point[at + i] = p.values()[i];
            }
            at += p.size();
        }
        double[] numeric = GradientChecker.numericGradient(x -> {
            int k = 0;
            for (Parameters p : parameters) {
                for (int i = 0; i < p.size(); i++) {
                    p.values()[i] = (float) x[k++];
                }
            }
            return loss.getAsDouble();
        }, point, STEP);
        int k = 0;
        for (Parameters p : parameters) {
            for (int i = 0; i < p.size(); i++) {
                p.values()[i] = (float) point[k++];
            }
        }
        return GradientChecker.compare(analytic, numeric, blocks, RELATIVE, ABSOLUTE);
    }

    /** The check of a model's trainable parameters on one batch, dropout masks frozen after a first pass. */
    static GradientChecker.Report check(SequenceModel model, Batch batch) {
        for (SequenceLayer layer : model.layers()) {
            layer.recurrentLayers().forEach(l -> l.freezeRecurrentMask(true));
        }
        model.forward(batch, true);
        for (SequenceLayer layer : model.layers()) {
            if (layer instanceof Dropout d) {
                d.freezeMask(true);
            }
        }
        return check(model.parameters(), model::zeroGradients, () -> model.forward(batch, true), model::backward);
    }
}
