package org.jrnn.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.jrnn.spi.Backend;

/**
 * An encoder–decoder (sequence-to-sequence, Sutskever et al. 2014; Cho et al. 2014): an embedding and a stack
 * of recurrent layers read the source; their final states start a second stack that, fed the target shifted
 * right behind a start token (teacher forcing), predicts the target through a softmax. Each encoder layer hands
 * its final states to the decoder layer at the same depth, so both stacks have the same cell, depth and hidden
 * size. Inference decodes greedily or with beam search ({@link #decoder(int[], int)}, {@link Generation}).
 */
public final class EncoderDecoder {
    private final Backend backend;
    private final Cell cell;
    private final int hidden;
    private final Embedding sourceEmbedding;
    private final Embedding targetEmbedding;
    private final List<Recurrent> encoder = new ArrayList<>();
    private final List<Recurrent> decoder = new ArrayList<>();
    private final SoftmaxOutput output;
    private Batch lastTarget;
    private int[] targetBuffer;

    /**
     * @param sourceVocabulary source token ids {@code [0, sourceVocabulary)}
     * @param targetVocabulary target token ids, start and end tokens included
     */
    public EncoderDecoder(Backend backend, Cell cell, int sourceVocabulary, int targetVocabulary, int embedding,
                          int hidden, int layers, long seed) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.cell = Objects.requireNonNull(cell, "cell");
        if (layers < 1 || hidden < 1) {
            throw new IllegalArgumentException("encoder-decoder: layers and hidden must be >= 1, found layers="
                    + layers + " hidden=" + hidden);
        }
        this.hidden = hidden;
        sourceEmbedding = new Embedding(backend, sourceVocabulary, embedding).initialize(seed);
        sourceEmbedding.parameters().rename("encoder.embedding");
        targetEmbedding = new Embedding(backend, targetVocabulary, embedding).initialize(seed + 1);
        targetEmbedding.parameters().rename("decoder.embedding");
        for (int k = 0; k < layers; k++) {
            int in = k == 0 ? embedding : hidden;
            Recurrent e = new Recurrent(backend, cell, in, hidden, OutputMode.SEQUENCE);
            e.layer().initialize(seed + 10 + k);
            e.layer().parameters().rename("encoder.layers." + k);
            encoder.add(e);
            Recurrent d = new Recurrent(backend, cell, in, hidden, OutputMode.SEQUENCE);
            d.layer().initialize(seed + 100 + k);
            d.layer().parameters().rename("decoder.layers." + k);
            decoder.add(d);
        }
        output = new SoftmaxOutput(backend, hidden, targetVocabulary).initialize(seed + 1000);
        output.parameters().get(0).rename("decoder.output");
    }

    public Cell cell() {
        return cell;
    }

    public int hiddenSize() {
        return hidden;
    }

    public int layers() {
        return encoder.size();
    }

    public int sourceVocabularySize() {
        return sourceEmbedding.vocabularySize();
    }

    public int targetVocabularySize() {
        return targetEmbedding.vocabularySize();
    }

    public int embeddingSize() {
        return sourceEmbedding.dim();
    }

    /** Every parameter set: encoder embedding and layers, decoder embedding, layers and output. */
    public List<Parameters> parameters() {
        List<Parameters> all = new ArrayList<>();
        all.add(sourceEmbedding.parameters());
        encoder.forEach(r -> all.add(r.layer().parameters()));
        all.add(targetEmbedding.parameters());
        decoder.forEach(r -> all.add(r.layer().parameters()));
        all.addAll(output.parameters());
        return all;
    }

    public void zeroGradients() {
        parameters().forEach(Parameters::zeroGradients);
    }

    /**
     * The decoder's teacher-forcing batch for targets {@code targets[indices[k]]}: inputs {@code start, y0 … y(n−1)},
     * classes {@code y0 … y(n−1), end}, padded with lengths {@code n + 1}.
     */
    public static Batch teacherForcing(List<int[]> targets, int[] indices, int start, int end) {
        int time = 1;
        for (int i : indices) {
            time = Math.max(time, targets.get(i).length + 1);
        }
        int[] in = new int[indices.length * time];
        int[] out = new int[indices.length * time];
        Arrays.fill(out, SoftmaxCrossEntropy.IGNORE);
        int[] lengths = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int[] y = targets.get(indices[k]);
            lengths[k] = y.length + 1;
            in[k * time] = start;
            System.arraycopy(y, 0, in, k * time + 1, y.length);
            System.arraycopy(y, 0, out, k * time, y.length);
            out[k * time + y.length] = end;
        }
        return Batch.ofTokens(indices.length, time, in, lengths).withClasses(out);
    }

    /**
     * The mean cross-entropy (nats per target token) of the decoder's predictions with teacher forcing.
     *
     * @param source token batch of source sequences
     * @param target the decoder's batch: inputs (start token, then the target shifted right), class targets per
     *               step (see {@link #teacherForcing}), same number of sequences as {@code source}
     */
    public double forward(Batch source, Batch target, boolean training) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        if (source.tokens() == null || target.tokens() == null || target.classes() == null) {
            throw new IllegalArgumentException("encoder-decoder: needs token sources and a target batch with token "
                    + "inputs and class targets");
        }
        if (source.size() != target.size()) {
            throw new IllegalArgumentException("encoder-decoder: the source batch has " + source.size()
                    + " sequences, the target batch " + target.size());
        }
        encode(source, training);
        float[] x = targetEmbedding.forward(target.tokens(), target.size(), target.time(), target.lengths());
        for (int k = 0; k < decoder.size(); k++) {
            Recurrent e = encoder.get(k);
            Recurrent d = decoder.get(k);
            d.initialState(e.finalHidden(), e.finalCell());
            x = d.forward(x, target.size(), target.time(), target.lengths(), training);
        }
        int n = target.size() * target.time();
        if (target.classes().length != n) {
            throw new IllegalArgumentException("encoder-decoder: needs [size=" + target.size() + "][time="
                    + target.time() + "] = " + n + " targets, found " + target.classes().length);
        }
        if (targetBuffer == null || targetBuffer.length != n) {
            targetBuffer = new int[n];
        }
        for (int b = 0; b < target.size(); b++) {
            for (int t = 0; t < target.time(); t++) {
                int i = b * target.time() + t;
                targetBuffer[i] = t < target.length(b) ? target.classes()[i] : SoftmaxCrossEntropy.IGNORE;
                int c = targetBuffer[i];
                if (c != SoftmaxCrossEntropy.IGNORE && (c < 0 || c >= targetVocabularySize())) {
                    throw new IllegalArgumentException("encoder-decoder: target[" + b + "][" + t
                            + "] must be in [0, " + targetVocabularySize() + "), found " + c);
                }
            }
        }
        lastTarget = target;
        return output.loss(x, n, targetBuffer, null, null);
    }

    private void encode(Batch source, boolean training) {
        float[] x = sourceEmbedding.forward(source.tokens(), source.size(), source.time(), source.lengths());
        for (Recurrent e : encoder) {
            e.initialState(null, null);
            x = e.forward(x, source.size(), source.time(), source.lengths(), training);
        }
    }

    /** Backpropagates the last {@link #forward} through decoder and encoder. */
    public void backward() {
        if (lastTarget == null) {
            throw new IllegalStateException("encoder-decoder: backward called before forward");
        }
        float[] d = output.backward();
        for (int k = decoder.size() - 1; k >= 0; k--) {
            d = decoder.get(k).backward(d);
        }
        targetEmbedding.backward(d);
        // each encoder layer's final states fed the decoder layer at its depth
        float[] dOut = null;
        for (int k = encoder.size() - 1; k >= 0; k--) {
            RecurrentGradients g = decoder.get(k).gradients();
            Recurrent e = encoder.get(k);
            e.finalStateGradient(g.dh0(), g.dc0());
            dOut = e.backward(dOut);
        }
        sourceEmbedding.backward(dOut);
    }

    /**
     * Encodes one source sequence and returns a decoder stepper with {@code streams} streams, all starting
     * from the encoder's final states; feed it the start token first.
     */
    public TokenStepper decoder(int[] source, int streams) {
        if (source == null || source.length == 0) {
            throw new IllegalArgumentException("encoder-decoder: the source must have at least one token");
        }
        if (streams < 1) {
            throw new IllegalArgumentException("encoder-decoder: streams must be >= 1, found " + streams);
        }
        encode(Batch.ofTokens(1, source.length, source, null), false);
        List<RecurrentLayer> layers = new ArrayList<>();
        decoder.forEach(d -> layers.add(d.layer()));
        RecurrentStack stack = new RecurrentStack(layers, streams);
        for (int k = 0; k < decoder.size(); k++) {
            stack.fill(k, encoder.get(k).finalHidden(), encoder.get(k).finalCell());
        }
        return new DecoderStepper(stack);
    }

    /** Greedy decoding of one source: up to {@code maxLength} tokens, stopping after {@code end}. */
    public int[] greedy(int[] source, int start, int end, int maxLength) {
        TokenStepper stepper = decoder(source, 1);
        float[] logProbs = stepper.step(new int[] {start});
        int[] out = new int[maxLength];
        int n = 0;
        while (n < maxLength) {
            int best = Generation.choose(logProbs, 0, targetVocabularySize(), Generation.Sampling.greedy(), null);
            if (best == end) {
                break;
            }
            out[n++] = best;
            logProbs = stepper.step(new int[] {best});
        }
        return Arrays.copyOf(out, n);
    }

    /** Beam search decoding of one source with {@code width} beams; the result excludes the end token. */
    public Generation.Sequence beamSearch(int[] source, int start, int end, int maxLength, int width) {
        TokenStepper stepper = decoder(source, width);
        int[] starts = new int[width];
        Arrays.fill(starts, start);
        Generation.Sequence s = Generation.beamSearch(stepper, stepper.step(starts), maxLength + 1, end);
        int[] tokens = s.tokens();
        int n = tokens.length > 0 && tokens[tokens.length - 1] == end ? tokens.length - 1 : tokens.length;
        return new Generation.Sequence(Arrays.copyOf(tokens, n), s.logProbability());
    }

    private final class DecoderStepper implements TokenStepper {
        private final RecurrentStack stack;
        private final float[] x;

        DecoderStepper(RecurrentStack stack) {
            this.stack = stack;
            this.x = new float[stack.streams() * targetEmbedding.dim()];
        }

        @Override
        public int streams() {
            return stack.streams();
        }

        @Override
        public float[] step(int[] tokens) {
            if (tokens.length != streams()) {
                throw new IllegalArgumentException("decoder: needs one token per stream (" + streams() + "), found "
                        + tokens.length);
            }
            targetEmbedding.lookup(tokens, x);
            return output.predict(stack.step(x), streams());
        }

        @Override
        public void reorder(int[] source) {
            stack.reorder(source);
        }
    }
}
