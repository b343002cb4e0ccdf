package org.jrnn.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The training loop over a {@link SequenceModel}: per step, zero the gradients, forward, backward, clip, update
 * — each a public call the loop only sequences, so a custom loop can do the same with the lower layers.
 *
 * <p><b>Non-finite guard.</b> A step whose loss or gradients are NaN or infinite is not applied: parameters and
 * optimizer state stay as they were, any state carried between batches is reset, and, by default, the step
 * throws a {@link NonFiniteException} naming the step and the parameter (or the loss). With
 * {@link #skipNonFinite(boolean) skipNonFinite(true)} the step is skipped instead and listeners are told
 * ({@link TrainingListener.Step#skipped()}).
 */
public final class Trainer {
    private final SequenceModel model;
    private final Optimizer optimizer;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private float clipNorm;
    private float clipValue;
    private boolean skipNonFinite;
    private Long shuffleSeed;
    private boolean stopRequested;
    private int epoch;

    public Trainer(SequenceModel model, Optimizer optimizer) {
        this.model = Objects.requireNonNull(model, "model");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    }

    public SequenceModel model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Clips gradients to global L2 norm {@code maxNorm} before each update; 0 turns it off (the default). */
    public Trainer clipNorm(float maxNorm) {
        if (maxNorm != 0) {
            OptimizerSupport.requirePositive("max norm", maxNorm);
        }
        this.clipNorm = maxNorm;
        return this;
    }

    /** Clamps every gradient into {@code [-limit, limit]} before each update; 0 turns it off (the default). */
    public Trainer clipValue(float limit) {
        if (limit != 0) {
            OptimizerSupport.requirePositive("clip value", limit);
        }
        this.clipValue = limit;
        return this;
    }

    /** Skip (and report) non-finite steps instead of throwing. */
    public Trainer skipNonFinite(boolean on) {
        this.skipNonFinite = on;
        return this;
    }

    /**
     * Shuffles the order of the training batches at each epoch, seeded; off by default, and refused for a model
     * that carries state between batches (their order is the stream's).
     */
    public Trainer shuffle(long seed) {
        this.shuffleSeed = seed;
        return this;
    }

    public Trainer listener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Ends {@link #fit} after the current epoch. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * One training step on {@code batch}.
     *
     * @return what happened, as listeners see it
     * @throws NonFiniteException when the loss or a gradient is not finite and skipping is off
     */
    public TrainingListener.Step step(Batch batch) {
        model.zeroGradients();
        double loss = model.forward(batch, true);
        float rate = optimizer.currentLearningRate();
        long next = optimizer.steps() + 1;
        if (!Double.isFinite(loss)) {
            return refuse(new NonFiniteException(next, "loss", "step " + next + ": the loss is " + loss
                    + "; no parameter was changed"), loss, Double.NaN, rate);
        }
        model.backward();
        List<Parameters> parameters = model.parameters();
        double norm = clipNorm > 0 ? Clipping.byGlobalNorm(model.backend(), parameters, clipNorm)
                : Clipping.globalNorm(model.backend(), parameters);
        if (clipValue > 0 && Double.isFinite(norm)) {
            Clipping.byValue(model.backend(), parameters, clipValue);
        }
        try {
            optimizer.step(parameters);
        } catch (NonFiniteException e) {
            return refuse(e, loss, norm, rate);
        }
        TrainingListener.Step step = new TrainingListener.Step(epoch, optimizer.steps(), loss, norm, rate, null);
        listeners.forEach(l -> l.onStep(this, step));
        return step;
    }

    private TrainingListener.Step refuse(NonFiniteException e, double loss, double norm, float rate) {
        model.resetState();
        if (!skipNonFinite) {
            throw e;
        }
        TrainingListener.Step step = new TrainingListener.Step(epoch, optimizer.steps(), loss, norm, rate, e);
        listeners.forEach(l -> l.onStep(this, step));
        return step;
    }

    /** The model's {@link SequenceModel#evaluate} on {@code batches}. */
    public double evaluate(List<Batch> batches) {
        return model.evaluate(batches);
    }

    private double targets(Batch b) {
        return model.targets(b);
    }

    /**
     * Trains for up to {@code epochs} epochs (fewer if a listener requests a stop), validating after each when
     * {@code validation} is not empty.
     *
     * @return the per-epoch results
     */
    public List<TrainingListener.Epoch> fit(List<Batch> training, List<Batch> validation, int epochs) {
        if (epochs < 1 || training.isEmpty()) {
            throw new IllegalArgumentException("fit: needs epochs >= 1 and at least one training batch, found epochs="
                    + epochs + " and " + training.size() + " batches");
        }
        if (shuffleSeed != null && model.carriesState()) {
            throw new IllegalStateException("fit: the model carries state between batches, so their order is the"
                    + " stream's and must not be shuffled");
        }
        List<Batch> order = new ArrayList<>(training);
        Random random = shuffleSeed == null ? null : new Random(shuffleSeed);
        List<TrainingListener.Epoch> history = new ArrayList<>();
        stopRequested = false;
        for (epoch = 0; epoch < epochs && !stopRequested; epoch++) {
            long start = System.nanoTime();
            if (random != null) {
                Collections.shuffle(order, random);
            }
            model.resetState();
            double sum = 0;
            double weight = 0;
            for (Batch b : order) {
                TrainingListener.Step s = step(b);
                if (s.skipped() == null) {
                    sum += targets(b) * s.loss();
                    weight += targets(b);
                }
            }
            double validationLoss = validation == null || validation.isEmpty() ? Double.NaN : evaluate(validation);
            TrainingListener.Epoch e = new TrainingListener.Epoch(epoch, weight == 0 ? Double.NaN : sum / weight,
                    validationLoss, (System.nanoTime() - start) / 1e9);
            history.add(e);
            listeners.forEach(l -> l.onEpoch(this, e));
        }
        listeners.forEach(l -> l.onEnd(this));
        return history;
    }
}
