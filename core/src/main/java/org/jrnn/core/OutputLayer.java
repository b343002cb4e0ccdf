package org.jrnn.core;

import java.util.List;

/**
 * The last stage of a {@link SequenceModel}: turns feature rows {@code [rows][inputSize]} into a loss against
 * targets, and into predictions. A classifier ({@link SoftmaxOutput}, {@link HierarchicalSoftmax}) takes class
 * ids, a {@link RegressionOutput} real values. Returned arrays belong to the layer.
 */
public interface OutputLayer {
    int inputSize();

    /** Number of classes of a classifier, number of outputs of a regression. */
    int outputSize();

    /** Whether targets are class ids (else real values). */
    boolean classifier();

    /**
     * The mean loss over the rows that count, remembering what {@link #backward()} needs.
     *
     * @param classes a classifier's targets {@code [rows]}: ids in {@code [0, outputSize)} or
     *                {@link SoftmaxCrossEntropy#IGNORE} for rows that do not count
     * @param values  a regression's targets {@code [rows][outputSize]}
     * @param valid   for a regression, which rows count (null: all); a classifier uses IGNORE instead
     */
    double loss(float[] x, int rows, int[] classes, float[] values, boolean[] valid);

    /** Adds the parameter gradients of the last loss and returns its gradient with respect to {@code x}. */
    float[] backward();

    /**
     * Predictions for {@code x}: log-probabilities {@code [rows][classes]} for a classifier (each row's
     * exponentials sum to 1), values {@code [rows][outputs]} for a regression.
     */
    float[] predict(float[] x, int rows);

    /** The parameter sets, in a fixed order. */
    List<Parameters> parameters();
}
