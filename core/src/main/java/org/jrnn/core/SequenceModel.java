package org.jrnn.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jrnn.spi.Backend;

/**
 * A sequence model: an optional {@link Embedding}, recurrent stages (stacked, possibly bidirectional, with
 * dropout between them) and an {@link OutputLayer}. Built from {@link LayerSpec}s, usually through
 * {@link #builder(Backend)}:
 *
 * <pre>{@code
 * SequenceModel chatbot = SequenceModel.builder(backend)
 *         .embedding(317, 10)
 *         .lstm(32, OutputMode.SEQUENCE)
 *         .lstm(64, OutputMode.LAST)
 *         .softmax(317)
 *         .build(42);
 * }</pre>
 *
 * <p>The shape of the task follows from the last recurrent stage: with {@link OutputMode#LAST} the output layer
 * sees one vector per sequence (many-to-one: classify a sequence, predict the next word), with
 * {@link OutputMode#SEQUENCE} one per step (many-to-many: tag each step, language modelling). One-to-many
 * generation runs a trained model step by step ({@link #stepper(int)}, {@link Generation}); encoder–decoder
 * models are {@link EncoderDecoder}.
 *
 * <p>A training step is visible, not hidden: {@link #forward(Batch, boolean)} returns the loss,
 * {@link #backward()} adds the gradients into {@link #parameters()} (zero them first with
 * {@link #zeroGradients()}), an {@link Optimizer} applies them. {@link Trainer} runs that loop with clipping,
 * callbacks and validation. A model is not thread-safe.
 */
public final class SequenceModel {
    private final Backend backend;
    private final List<LayerSpec> spec;
    private final Embedding embedding;
    private final int inputSize;
    private final List<SequenceLayer> layers;
    private final OutputLayer output;
    private final long seed;
    /** Whether a recurrent stage returns only its last step (the output layer then sees one row per sequence). */
    private final boolean lastOnly;
    private boolean carryState;
    private float[][] carriedH;
    private float[][] carriedC;
    private Batch last;
    private int[] classBuffer;
    private boolean[] validBuffer;

    /** Builds the model described by {@code spec}, parameters initialized from {@code seed}. */
    public SequenceModel(Backend backend, List<LayerSpec> spec, long seed) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.spec = List.copyOf(spec);
        this.seed = seed;
        if (this.spec.size() < 2) {
            throw new IllegalArgumentException("model: needs an input or embedding and an output layer, found "
                    + this.spec);
        }
        LayerSpec first = this.spec.get(0);
        int width;
        if (first instanceof LayerSpec.Embed e) {
            embedding = new Embedding(backend, e.vocabulary(), e.dim()).initialize(seed);
            embedding.parameters().rename("embedding");
            width = e.dim();
        } else if (first instanceof LayerSpec.Input i) {
            if (i.size() < 1) {
                throw new IllegalArgumentException("model: input size must be >= 1, found " + i.size());
            }
            embedding = null;
            width = i.size();
        } else {
            throw new IllegalArgumentException("model: the first stage must be an embedding or an input, found "
                    + first);
        }
        inputSize = width;
        layers = new ArrayList<>();
        boolean lastOnly = false;
        for (int k = 1; k < this.spec.size() - 1; k++) {
            LayerSpec s = this.spec.get(k);
            long layerSeed = seed * 1_000_003L + k;
            SequenceLayer layer;
            if (s instanceof LayerSpec.Rnn r) {
                if (lastOnly) {
                    throw new IllegalArgumentException("model: stage " + k + " (" + r + ") follows a recurrent stage "
                            + "that returns only its last step; give the earlier one OutputMode.SEQUENCE");
                }
                if (r.merge() == null) {
                    Recurrent rec = new Recurrent(backend, r.cell(), width, r.hidden(), r.mode());
                    rec.layer().initialize(layerSeed).recurrentDropout(r.recurrentDropout(), layerSeed + 1);
                    rec.layer().parameters().rename("layers." + k + "." + r.cell().name().toLowerCase());
                    layer = rec;
                } else {
                    Bidirectional bi = new Bidirectional(backend, r.cell(), width, r.hidden(), r.mode(), r.merge());
                    bi.forwardLayer().initialize(layerSeed).recurrentDropout(r.recurrentDropout(), layerSeed + 1);
                    bi.backwardLayer().initialize(layerSeed + 500_009L)
                            .recurrentDropout(r.recurrentDropout(), layerSeed + 500_010L);
                    bi.forwardLayer().parameters().rename("layers." + k + ".forward");
                    bi.backwardLayer().parameters().rename("layers." + k + ".reverse");
                    layer = bi;
                }
                lastOnly = r.mode() == OutputMode.LAST;
            } else if (s instanceof LayerSpec.Drop d) {
                layer = new Dropout(backend, width, d.rate(), layerSeed);
            } else {
                throw new IllegalArgumentException("model: stage " + k + " must be recurrent or dropout, found " + s);
            }
            layers.add(layer);
            width = layer.outputSize();
        }
        this.lastOnly = lastOnly;
        LayerSpec head = this.spec.get(this.spec.size() - 1);
        long headSeed = seed * 1_000_003L + this.spec.size();
        output = switch (head) {
            case LayerSpec.Softmax s -> new SoftmaxOutput(backend, width, s.classes()).initialize(headSeed);
            case LayerSpec.Hierarchical h -> new HierarchicalSoftmax(backend, width, h.counts()).initialize(headSeed);
            case LayerSpec.Regression r -> new RegressionOutput(backend, width, r.outputs()).initialize(headSeed);
            default -> throw new IllegalArgumentException("model: the last stage must be an output layer, found "
                    + head);
        };
        for (Parameters p : output.parameters()) {
            p.rename("output");
        }
    }

    /** Starts describing a model on the registry's backend ({@link org.jrnn.spi.Backends#get()}). */
    public static Builder builder() {
        return new Builder(org.jrnn.spi.Backends.get());
    }

    /** Starts describing a model on {@code backend}. */
    public static Builder builder(Backend backend) {
        return new Builder(backend);
    }

    /** Collects the stages of a model in order: input, recurrent and dropout stages, output. */
    public static final class Builder {
        private final Backend backend;
        private final List<LayerSpec> spec = new ArrayList<>();

        private Builder(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
        }

        /** Token inputs over a vocabulary of {@code vocabulary} ids, embedded in {@code dim} dimensions. */
        public Builder embedding(int vocabulary, int dim) {
            return add(new LayerSpec.Embed(vocabulary, dim));
        }

        /** Feature inputs of {@code size} per step (instead of an embedding). */
        public Builder input(int size) {
            return add(new LayerSpec.Input(size));
        }

        public Builder lstm(int hidden, OutputMode mode) {
            return recurrent(Cell.LSTM, hidden, mode);
        }

        public Builder gru(int hidden, OutputMode mode) {
            return recurrent(Cell.GRU, hidden, mode);
        }

        /** A simple (Elman) RNN with tanh. */
        public Builder rnn(int hidden, OutputMode mode) {
            return recurrent(Cell.RNN_TANH, hidden, mode);
        }

        public Builder recurrent(Cell cell, int hidden, OutputMode mode) {
            return add(new LayerSpec.Rnn(cell, hidden, mode, null, 0f));
        }

        public Builder bidirectional(Cell cell, int hidden, OutputMode mode, Bidirectional.Merge merge) {
            return add(new LayerSpec.Rnn(cell, hidden, mode, Objects.requireNonNull(merge, "merge"), 0f));
        }

        /**
         * Variational dropout at {@code rate} on the recurrent connections of the recurrent stage just added (the
         * same mask at every step; see {@link RecurrentLayer#recurrentDropout}).
         */
        public Builder recurrentDropout(float rate) {
            if (spec.isEmpty() || !(spec.get(spec.size() - 1) instanceof LayerSpec.Rnn r)) {
                throw new IllegalStateException("recurrentDropout applies to the recurrent stage just added; the "
                        + "last stage is " + (spec.isEmpty() ? "none" : spec.get(spec.size() - 1)));
            }
            spec.set(spec.size() - 1, r.withRecurrentDropout(rate));
            return this;
        }

        /** Dropout on the features passed to the next stage. */
        public Builder dropout(float rate) {
            return add(new LayerSpec.Drop(rate));
        }

        /** Full softmax over {@code classes} with cross-entropy. */
        public Builder softmax(int classes) {
            return add(new LayerSpec.Softmax(classes));
        }

        /** Hierarchical softmax over a Huffman tree of the class frequencies {@code counts}. */
        public Builder hierarchicalSoftmax(long[] counts) {
            return add(new LayerSpec.Hierarchical(counts));
        }

        /** {@code outputs} real values with mean squared error. */
        public Builder regression(int outputs) {
            return add(new LayerSpec.Regression(outputs));
        }

        public Builder add(LayerSpec stage) {
            spec.add(Objects.requireNonNull(stage, "stage"));
            return this;
        }

        /** The model, parameters initialized from {@code seed}. */
        public SequenceModel build(long seed) {
            return new SequenceModel(backend, spec, seed);
        }
    }

    // ---- structure ----------------------------------------------------------------------------------------

    public Backend backend() {
        return backend;
    }

    /** The seed the model was built with (it also seeds the dropout masks). */
    public long seed() {
        return seed;
    }

    /** The stages this model was built from. */
    public List<LayerSpec> spec() {
        return spec;
    }

    /** The embedding, or null for a model with feature inputs. */
    public Embedding embedding() {
        return embedding;
    }

    /** Features per step of a model without embedding; the embedding's dimension otherwise. */
    public int inputSize() {
        return inputSize;
    }

    /** The stages between input and output. */
    public List<SequenceLayer> layers() {
        return List.copyOf(layers);
    }

    public OutputLayer output() {
        return output;
    }

    /** Whether the output layer sees only each sequence's last step. */
    public boolean lastOnly() {
        return lastOnly;
    }

    /** The parameter sets that training updates (a frozen embedding is left out). */
    public List<Parameters> parameters() {
        List<Parameters> all = new ArrayList<>();
        if (embedding != null && embedding.trainable()) {
            all.add(embedding.parameters());
        }
        layers.forEach(l -> all.addAll(l.parameters()));
        all.addAll(output.parameters());
        return all;
    }

    /** Every parameter set, frozen ones included, in a fixed order (what a checkpoint stores). */
    public List<Parameters> allParameters() {
        List<Parameters> all = new ArrayList<>();
        if (embedding != null) {
            all.add(embedding.parameters());
        }
        layers.forEach(l -> all.addAll(l.parameters()));
        all.addAll(output.parameters());
        return all;
    }

    /** Number of parameters, frozen ones included. */
    public long parameterCount() {
        return allParameters().stream().mapToLong(Parameters::size).sum();
    }

    /** Sets every gradient to zero (call before each training step's backward). */
    public void zeroGradients() {
        allParameters().forEach(Parameters::zeroGradients);
    }

    // ---- state carried between batches (truncated BPTT) ---------------------------------------------------

    /**
     * When on, each forward pass starts every recurrent stage from the final states of the previous pass
     * (detached: gradients stop at the chunk boundary), for truncated backpropagation through time over long
     * streams split into consecutive chunks; row {@code b} of each batch must continue row {@code b} of the
     * previous one. Off by default. Not available with bidirectional stages.
     */
    public SequenceModel carryState(boolean on) {
        if (on && layers.stream().anyMatch(l -> l instanceof Bidirectional)) {
            throw new IllegalStateException("model: state cannot be carried across batches through a bidirectional"
                    + " stage (its backward direction needs the whole sequence)");
        }
        carryState = on;
        resetState();
        return this;
    }

    /** Whether forward passes carry states between batches ({@link #carryState(boolean)}). */
    public boolean carriesState() {
        return carryState;
    }

    /** Forgets carried states: the next pass starts from zeros (call at the start of each epoch). */
    public void resetState() {
        carriedH = null;
        carriedC = null;
    }

    // ---- forward and backward -----------------------------------------------------------------------------

    /**
     * Runs the model over a batch with targets and returns the mean loss over the steps (or sequences) that
     * count: nats per target for a classifier, mean squared error for a regression.
     *
     * @param training dropout on (training) or off (evaluation)
     * @throws IllegalArgumentException naming what was expected and found when the batch does not fit the model
     */
    public double forward(Batch batch, boolean training) {
        double loss = loss(batch, training, true);
        last = batch;
        return loss;
    }

    /** The mean loss over a batch: a pass that keeps what backward needs, or an inference pass. */
    private double loss(Batch batch, boolean training, boolean keep) {
        Objects.requireNonNull(batch, "batch");
        float[] features = features(batch, training, keep);
        int rows = rows(batch);
        double loss;
        if (output.classifier()) {
            loss = output.loss(features, rows, classTargets(batch), null, null);
        } else {
            loss = output.loss(features, rows, null, valueTargets(batch), validRows(batch));
        }
        return loss;
    }

    /** Backpropagates the last {@link #forward}: adds every gradient into {@link #parameters()}. */
    public void backward() {
        if (last == null) {
            throw new IllegalStateException("model: backward called before forward");
        }
        float[] d = output.backward();
        for (int k = layers.size() - 1; k >= 0; k--) {
            d = layers.get(k).backward(d);
        }
        if (embedding != null) {
            embedding.backward(d);
        }
    }

    /**
     * Predictions for a batch (targets, if any, are ignored), dropout off: log-probabilities
     * {@code [rows][classes]} of a classifier or values {@code [rows][outputs]} of a regression, where rows are
     * the sequences (last-step models) or {@code batch × time} steps (zero-state rows past each length hold
     * predictions for padding and should be ignored). The array belongs to the model.
     */
    public float[] predict(Batch batch) {
        float[] features = features(batch, false, false);
        last = null;
        return output.predict(features, rows(batch));
    }

    /**
     * The mean loss over {@code batches}, dropout off, each batch weighted by its number of targets; NaN for no
     * targets. States carried between batches (if the model carries them) start from zero and are reset after.
     */
    public double evaluate(List<Batch> batches) {
        // inference passes: no backward may follow them
        last = null;
        resetState();
        double sum = 0;
        double weight = 0;
        for (Batch b : batches) {
            double w = targets(b);
            sum += w * loss(b, false, false);
            weight += w;
        }
        resetState();
        return weight == 0 ? Double.NaN : sum / weight;
    }

    /** The number of targets of a batch: its sequences for a last-step model, else its valid steps. */
    long targets(Batch batch) {
        return lastOnly ? batch.size() : batch.validSteps();
    }

    /** Rows the output layer sees for this batch. */
    public int rows(Batch batch) {
        return lastOnly() ? batch.size() : batch.size() * batch.time();
    }

    /** The last layer's output; {@code keep} false runs inference passes, which no backward may follow. */
    private float[] features(Batch batch, boolean training, boolean keep) {
        float[] x;
        if (embedding != null) {
            if (batch.tokens() == null) {
                throw new IllegalArgumentException("model: starts with an embedding and needs token ids, the batch"
                        + " has feature inputs");
            }
            x = embedding.forward(batch.tokens(), batch.size(), batch.time(), batch.lengths());
        } else {
            if (batch.inputs() == null) {
                throw new IllegalArgumentException("model: takes " + inputSize + " features per step, the batch has"
                        + " token ids");
            }
            long expected = (long) batch.size() * batch.time() * inputSize;
            if (batch.inputs().length != expected) {
                throw new IllegalArgumentException("model: inputs must be [size=" + batch.size() + "][time="
                        + batch.time() + "][" + inputSize + "] = " + expected + " values, found "
                        + batch.inputs().length);
            }
            x = batch.inputs();
        }
        loadCarriedState(batch.size());
        int time = batch.time();
        int[] lengths = batch.lengths();
        for (SequenceLayer layer : layers) {
            x = keep ? layer.forward(x, batch.size(), time, lengths, training)
                    : layer.infer(x, batch.size(), time, lengths);
            if (layer.lastOnly()) {
                time = 1;
                lengths = null;
            }
        }
        saveCarriedState();
        return x;
    }

    private void loadCarriedState(int size) {
        if (!carryState) {
            return;
        }
        if (carriedH != null && carriedH.length > 0 && carriedH[0].length != size * firstRecurrent().outputSize()) {
            throw new IllegalArgumentException("model: carried state has " + carriedH[0].length
                    / firstRecurrent().outputSize() + " rows, this batch has " + size
                    + " (batches of a stream keep their size; call resetState() to start anew)");
        }
        int k = 0;
        for (SequenceLayer layer : layers) {
            if (layer instanceof Recurrent r) {
                r.initialState(carriedH == null ? null : carriedH[k], carriedC == null ? null : carriedC[k]);
                k++;
            }
        }
    }

    private Recurrent firstRecurrent() {
        return (Recurrent) layers.stream().filter(l -> l instanceof Recurrent).findFirst().orElseThrow();
    }

    /** Copies the final states into the carried ones, reusing their arrays while the batch size stays. */
    private void saveCarriedState() {
        if (!carryState) {
            return;
        }
        int recurrent = (int) layers.stream().filter(l -> l instanceof Recurrent).count();
        if (carriedH == null) {
            carriedH = new float[recurrent][];
            carriedC = new float[recurrent][];
        }
        int k = 0;
        for (SequenceLayer layer : layers) {
            if (layer instanceof Recurrent r) {
                carriedH[k] = copyInto(carriedH[k], r.finalHidden());
                carriedC[k] = r.finalCell() == null ? null : copyInto(carriedC[k], r.finalCell());
                k++;
            }
        }
    }

    private static float[] copyInto(float[] target, float[] source) {
        if (target == null || target.length != source.length) {
            return source.clone();
        }
        System.arraycopy(source, 0, target, 0, source.length);
        return target;
    }

    private int[] classTargets(Batch batch) {
        int[] classes = batch.classes();
        if (classes == null) {
            throw new IllegalArgumentException("model: the output layer needs class-id targets, the batch has "
                    + (batch.values() == null ? "none" : "real values"));
        }
        if (lastOnly()) {
            if (classes.length != batch.size()) {
                throw new IllegalArgumentException("model: returns one prediction per sequence and needs "
                        + batch.size() + " targets, found " + classes.length);
            }
            checkClasses(classes, classes.length, 1, null);
            return classes;
        }
        int n = batch.size() * batch.time();
        if (classes.length != n) {
            throw new IllegalArgumentException("model: returns one prediction per step and needs [size="
                    + batch.size() + "][time=" + batch.time() + "] = " + n + " targets, found " + classes.length);
        }
        if (classBuffer == null || classBuffer.length != n) {
            classBuffer = new int[n];
        }
        for (int b = 0; b < batch.size(); b++) {
            for (int t = 0; t < batch.time(); t++) {
                int i = b * batch.time() + t;
                classBuffer[i] = t < batch.length(b) ? classes[i] : SoftmaxCrossEntropy.IGNORE;
            }
        }
        checkClasses(classBuffer, batch.size(), batch.time(), classes);
        return classBuffer;
    }

    private void checkClasses(int[] classes, int size, int time, int[] original) {
        int limit = output.outputSize();
        for (int i = 0; i < classes.length; i++) {
            int c = classes[i];
            if (c != SoftmaxCrossEntropy.IGNORE && (c < 0 || c >= limit)) {
                String where = time == 1 ? "[" + i + "]" : "[" + (i / time) + "][" + (i % time) + "]";
                throw new IllegalArgumentException("model: target" + where + " must be a class in [0, " + limit
                        + ") or " + SoftmaxCrossEntropy.IGNORE + ", found " + c);
            }
        }
    }

    private float[] valueTargets(Batch batch) {
        float[] values = batch.values();
        if (values == null) {
            throw new IllegalArgumentException("model: the output layer needs real-valued targets, the batch has "
                    + (batch.classes() == null ? "none" : "class ids"));
        }
        long expected = (long) rows(batch) * output.outputSize();
        if (values.length != expected) {
            throw new IllegalArgumentException("model: needs " + expected + " target values ([rows=" + rows(batch)
                    + "][outputs=" + output.outputSize() + "]), found " + values.length);
        }
        return values;
    }

    private boolean[] validRows(Batch batch) {
        if (lastOnly() || batch.lengths() == null) {
            return null;
        }
        int n = batch.size() * batch.time();
        if (validBuffer == null || validBuffer.length != n) {
            validBuffer = new boolean[n];
        }
        for (int b = 0; b < batch.size(); b++) {
            for (int t = 0; t < batch.time(); t++) {
                validBuffer[b * batch.time() + t] = t < batch.length(b);
            }
        }
        return validBuffer;
    }

    // ---- step-by-step inference ---------------------------------------------------------------------------

    /**
     * A step-by-step runner over {@code streams} independent sequences for generation: each call feeds one
     * token (or feature vector) per stream and returns the output layer's predictions for the next. Needs
     * one-directional recurrent stages returning sequences.
     */
    public Stepper stepper(int streams) {
        return new Stepper(streams);
    }

    /** Runs the model one step at a time; see {@link #stepper(int)}. */
    public final class Stepper implements TokenStepper {
        private final RecurrentStack stack;
        private final float[] embedded;

        private Stepper(int streams) {
            List<RecurrentLayer> recurrent = new ArrayList<>();
            for (SequenceLayer layer : layers) {
                if (layer instanceof Bidirectional) {
                    throw new IllegalStateException("stepper: a bidirectional stage needs the whole sequence and"
                            + " cannot run step by step");
                }
                if (layer.lastOnly()) {
                    throw new IllegalStateException("stepper: every recurrent stage must return sequences"
                            + " (OutputMode.SEQUENCE) to run step by step");
                }
                // dropout stages are the identity at inference
                recurrent.addAll(layer.recurrentLayers());
            }
            stack = new RecurrentStack(recurrent, streams);
            embedded = new float[streams * inputSize];
        }

        @Override
        public int streams() {
            return stack.streams();
        }

        /** Feeds one token per stream; returns predictions {@code [streams][outputSize]} (model-owned). */
        @Override
        public float[] step(int[] tokens) {
            if (embedding == null) {
                throw new IllegalStateException("stepper: this model takes features, not tokens");
            }
            if (tokens.length != streams()) {
                throw new IllegalArgumentException("stepper: needs one token per stream (" + streams() + "), found "
                        + tokens.length);
            }
            embedding.lookup(tokens, embedded);
            return output.predict(stack.step(embedded), streams());
        }

        /** Feeds one feature vector per stream ({@code [streams][inputSize]}); returns predictions. */
        public float[] step(float[] inputs) {
            if (inputs.length != streams() * inputSize) {
                throw new IllegalArgumentException("stepper: needs [streams=" + streams() + "][" + inputSize
                        + "] = " + (streams() * inputSize) + " inputs, found " + inputs.length);
            }
            return output.predict(stack.step(inputs), streams());
        }

        /** Resets every stream to the zero state. */
        public void reset() {
            stack.reset();
        }

        @Override
        public void reorder(int[] source) {
            stack.reorder(source);
        }

        /** The hidden state of recurrent layer {@code k} (live; {@code [streams][hidden]}). */
        public float[] hidden(int k) {
            return stack.hidden(k);
        }

        /** The cell state of recurrent layer {@code k} (live), or null for cells without one. */
        public float[] cell(int k) {
            return stack.cell(k);
        }
    }
}
