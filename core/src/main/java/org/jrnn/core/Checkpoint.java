package org.jrnn.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.CRC32;

import org.jrnn.spi.Backend;

/**
 * Saving and loading a {@link SequenceModel} or an {@link EncoderDecoder} with, optionally, its vocabularies and
 * its optimizer's state.
 *
 * <h2>Format, version 1</h2>
 * All integers and floats big-endian ({@link DataOutputStream}), strings as modified UTF-8 with a 2-byte length
 * ({@link DataOutputStream#writeUTF}):
 * <pre>
 *   magic      8 bytes  "JRNNCKPT"
 *   version    int      1
 *   length     long     payload length in bytes
 *   payload:
 *     kind     UTF      "sequence-model" or "encoder-decoder"
 *     architecture, for a sequence model:
 *       seed   long     the seed the model was built with
 *       stages int n, then n stages: a tag and its fields
 *                "embed" vocabulary:int dim:int trainable:boolean | "input" size:int
 *                "rnn" cell:UTF hidden:int mode:UTF merge:UTF ("" for one direction) recurrentDropout:float,
 *                      then per direction the recurrent masks drawn so far: long
 *                "dropout" rate:float passes:long (masks drawn so far)
 *                "softmax" classes:int | "hsoftmax" n:int counts:long×n | "regression" outputs:int
 *     architecture, for an encoder–decoder:
 *       cell:UTF sourceVocabulary:int targetVocabulary:int embedding:int hidden:int layers:int
 *     params   int sets, then per set: owner:UTF, tensors:int, per tensor name:UTF rows:int cols:int,
 *              then the set's values: float × size
 *     vocabs   int count (sequence model: 0 or 1; encoder–decoder: 0 or 2, source then target),
 *              each as words:int and every word:UTF
 *     optim    boolean present, then name:UTF steps:long sets:int, per trained set slots:int and
 *              float × size per slot
 *     metadata int n, then n pairs key:UTF value:UTF (free-form, e.g. how the text was tokenized)
 *   crc32      int      CRC-32 of the payload
 * </pre>
 * Optimizer hyperparameters are not stored: construct the optimizer as before and restore its state into it.
 *
 * <p>Saving writes a temporary file beside the target, forces it to disk and renames it over the target
 * atomically, so a failed save leaves any previous file intact. Loading reads the whole file, checks magic,
 * version, length and checksum, then builds the model; any problem is an {@link IOException} naming it, and no
 * model is returned half-loaded. Loading on the same backend reproduces the saved model's outputs bit for bit.
 */
public final class Checkpoint {
    /** The first bytes of every checkpoint. */
    public static final byte[] MAGIC = {'J', 'R', 'N', 'N', 'C', 'K', 'P', 'T'};
    /** The format version this class writes and reads. */
    public static final int VERSION = 1;
    private static final int HEADER = MAGIC.length + 4 + 8;
    private static final String SEQUENCE_MODEL = "sequence-model";
    private static final String ENCODER_DECODER = "encoder-decoder";

    private Checkpoint() {
    }

    /** An optimizer's saved state. */
    public record OptimizerState(String name, long steps, List<float[][]> slots) {
        /**
         * Restores this state into {@code target}, built like the optimizer that was saved, for the trained
         * parameter sets of the loaded model.
         *
         * @throws IllegalStateException if the state is another optimizer's
         */
        public void restoreInto(Optimizer target, List<Parameters> trained) {
            if (!name.equals(target.name())) {
                throw new IllegalStateException("checkpoint: the saved optimizer state is " + name + "'s, not "
                        + target.name() + "'s");
            }
            target.restore(steps, trained, slots);
        }
    }

    /** A loaded sequence model, with the metadata saved beside it (empty if none). */
    public record Loaded(SequenceModel model, Vocabulary vocabulary, OptimizerState optimizer,
                         Map<String, String> metadata) {
        /**
         * Restores the saved optimizer state into {@code target}, built like the one that was saved.
         *
         * @throws IllegalStateException if the checkpoint has no optimizer state or another optimizer's
         */
        public void restore(Optimizer target) {
            requireOptimizer(optimizer).restoreInto(target, model.parameters());
        }

        /**
         * Checks that the saved vocabulary is {@code expected}.
         *
         * @throws IllegalArgumentException naming the first difference
         */
        public void requireVocabulary(Vocabulary expected) {
            requireSame("vocabulary", vocabulary, expected);
        }
    }

    /** A loaded encoder–decoder. */
    public record LoadedEncoderDecoder(EncoderDecoder model, Vocabulary source, Vocabulary target,
                                       OptimizerState optimizer, Map<String, String> metadata) {
        /** See {@link Loaded#restore}. */
        public void restore(Optimizer into) {
            requireOptimizer(optimizer).restoreInto(into, model.parameters());
        }

        /** Checks both saved vocabularies; see {@link Loaded#requireVocabulary}. */
        public void requireVocabularies(Vocabulary expectedSource, Vocabulary expectedTarget) {
            requireSame("source vocabulary", source, expectedSource);
            requireSame("target vocabulary", target, expectedTarget);
        }
    }

    private static OptimizerState requireOptimizer(OptimizerState state) {
        if (state == null) {
            throw new IllegalStateException("checkpoint: no optimizer state was saved");
        }
        return state;
    }

    private static void requireSame(String what, Vocabulary saved, Vocabulary expected) {
        if (saved == null) {
            throw new IllegalArgumentException("checkpoint: no " + what + " was saved; expected " + expected);
        }
        if (saved.equals(expected)) {
            return;
        }
        int n = Math.min(saved.size(), expected.size());
        int first = 0;
        while (first < n && saved.word(first).equals(expected.word(first))) {
            first++;
        }
        String at = first < n ? "; first difference at id " + first + ": '" + saved.word(first) + "' saved, '"
                + expected.word(first) + "' expected" : "";
        throw new IllegalArgumentException("checkpoint: " + what + " mismatch: saved " + saved.size()
                + " words, expected " + expected.size() + at);
    }

    /** Saves a model alone. */
    public static void save(Path file, SequenceModel model) throws IOException {
        save(file, model, null, null);
    }

    /** Saves a sequence model with its vocabulary and optimizer state (either may be null), atomically. */
    public static void save(Path file, SequenceModel model, Vocabulary vocabulary, Optimizer optimizer)
            throws IOException {
        save(file, model, vocabulary, optimizer, Map.of());
    }

    /** As {@link #save(Path, SequenceModel, Vocabulary, Optimizer)}, with metadata (strings up to 65535 bytes). */
    public static void save(Path file, SequenceModel model, Vocabulary vocabulary, Optimizer optimizer,
                            Map<String, String> metadata) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF(SEQUENCE_MODEL);
        writeArchitecture(out, model);
        writeContents(out, model.allParameters(), vocabulary == null ? List.of() : List.of(vocabulary), optimizer,
                model.parameters(), metadata);
        write(file, bytes.toByteArray());
    }

    /**
     * Saves an encoder–decoder with its vocabularies (both or neither) and optimizer state (or null),
     * atomically.
     */
    public static void save(Path file, EncoderDecoder model, Vocabulary source, Vocabulary target,
                            Optimizer optimizer) throws IOException {
        if ((source == null) != (target == null)) {
            throw new IllegalArgumentException("checkpoint: give both vocabularies of an encoder-decoder or neither");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF(ENCODER_DECODER);
        out.writeUTF(model.cell().name());
        out.writeInt(model.sourceVocabularySize());
        out.writeInt(model.targetVocabularySize());
        out.writeInt(model.embeddingSize());
        out.writeInt(model.hiddenSize());
        out.writeInt(model.layers());
        writeContents(out, model.parameters(), source == null ? List.of() : List.of(source, target), optimizer,
                model.parameters(), Map.of());
        write(file, bytes.toByteArray());
    }

    private static void write(Path file, byte[] payload) throws IOException {
        Objects.requireNonNull(file, "file");
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        header.put(MAGIC).putInt(VERSION).putLong(payload.length).flip();
        ByteBuffer trailer = ByteBuffer.allocate(4).putInt((int) crc.getValue()).flip();
        AtomicFile.write(file, out -> {
            out.write(header.array());
            out.write(payload);
            out.write(trailer.array());
        });
    }

    private static void writeArchitecture(DataOutputStream out, SequenceModel model) throws IOException {
        out.writeLong(model.seed());
        out.writeInt(model.spec().size());
        List<SequenceLayer> layers = model.layers();
        int stage = 0;
        for (LayerSpec s : model.spec()) {
            stage++;
            switch (s) {
                case LayerSpec.Embed e -> {
                    out.writeUTF("embed");
                    out.writeInt(e.vocabulary());
                    out.writeInt(e.dim());
                    out.writeBoolean(model.embedding().trainable());
                }
                case LayerSpec.Input i -> {
                    out.writeUTF("input");
                    out.writeInt(i.size());
                }
                case LayerSpec.Rnn r -> {
                    out.writeUTF("rnn");
                    out.writeUTF(r.cell().name());
                    out.writeInt(r.hidden());
                    out.writeUTF(r.mode().name());
                    out.writeUTF(r.merge() == null ? "" : r.merge().name());
                    out.writeFloat(r.recurrentDropout());
                    for (RecurrentLayer l : layers.get(stage - 2).recurrentLayers()) {
                        out.writeLong(l.recurrentDropoutPasses());
                    }
                }
                case LayerSpec.Drop d -> {
                    out.writeUTF("dropout");
                    out.writeFloat(d.rate());
                    out.writeLong(((Dropout) layers.get(stage - 2)).passes());
                }
                case LayerSpec.Softmax s2 -> {
                    out.writeUTF("softmax");
                    out.writeInt(s2.classes());
                }
                case LayerSpec.Hierarchical h -> {
                    out.writeUTF("hsoftmax");
                    long[] counts = h.counts();
                    out.writeInt(counts.length);
                    for (long c : counts) {
                        out.writeLong(c);
                    }
                }
                case LayerSpec.Regression r -> {
                    out.writeUTF("regression");
                    out.writeInt(r.outputs());
                }
            }
        }
    }

    private static void writeContents(DataOutputStream out, List<Parameters> sets, List<Vocabulary> vocabularies,
                                      Optimizer optimizer, List<Parameters> trained, Map<String, String> metadata)
            throws IOException {
        out.writeInt(sets.size());
        for (Parameters p : sets) {
            out.writeUTF(p.owner());
            out.writeInt(p.tensors().size());
            for (Parameters.Tensor t : p.tensors()) {
                out.writeUTF(t.name());
                out.writeInt(t.rows());
                out.writeInt(t.cols());
            }
            writeFloats(out, p.values());
        }
        out.writeInt(vocabularies.size());
        for (Vocabulary vocabulary : vocabularies) {
            out.writeInt(vocabulary.size());
            for (String w : vocabulary.words()) {
                out.writeUTF(w);
            }
        }
        out.writeBoolean(optimizer != null);
        if (optimizer != null) {
            out.writeUTF(optimizer.name());
            out.writeLong(optimizer.steps());
            out.writeInt(trained.size());
            for (Parameters p : trained) {
                float[][] slots = optimizer.stateOf(p);
                out.writeInt(slots.length);
                for (float[] slot : slots) {
                    writeFloats(out, slot);
                }
            }
        }
        out.writeInt(metadata.size());
        for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
        out.flush();
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES);
        buffer.asFloatBuffer().put(values);
        out.write(buffer.array());
    }

    /**
     * Loads a sequence-model checkpoint onto {@code backend}.
     *
     * @throws IOException naming the problem: not a checkpoint, another format version, truncated, checksum
     *                     mismatch, an encoder–decoder checkpoint, or contents that do not describe a valid model
     */
    public static Loaded load(Path file, Backend backend) throws IOException {
        return read(file, (in, length) -> {
            expectKind(in, SEQUENCE_MODEL);
            ArchitectureReader architecture = readArchitecture(in, length, backend);
            SequenceModel model = architecture.model;
            Contents contents = readContents(in, length, model.allParameters(), model.parameters(), 1);
            architecture.resume(model);
            contents.apply();
            return new Loaded(model, contents.vocabularies.isEmpty() ? null : contents.vocabularies.get(0),
                    contents.optimizer, contents.metadata);
        });
    }

    /** Loads an encoder–decoder checkpoint onto {@code backend}; see {@link #load}. */
    public static LoadedEncoderDecoder loadEncoderDecoder(Path file, Backend backend) throws IOException {
        return read(file, (in, length) -> {
            expectKind(in, ENCODER_DECODER);
            Cell cell = Cell.valueOf(in.readUTF());
            int source = in.readInt();
            int target = in.readInt();
            int embedding = in.readInt();
            int hidden = in.readInt();
            int layers = in.readInt();
            long budget = length / Float.BYTES;
            if ((long) source * embedding > budget || (long) target * embedding > budget
                    || (long) hidden * hidden > budget || layers > budget) {
                throw new IOException("the encoder-decoder's sizes need more parameters than the file holds");
            }
            EncoderDecoder model = new EncoderDecoder(backend, cell, source, target, embedding, hidden, layers, 0);
            Contents contents = readContents(in, length, model.parameters(), model.parameters(), 2);
            if (contents.vocabularies.size() == 1) {
                throw new IOException("an encoder-decoder checkpoint holds two vocabularies or none, found one");
            }
            contents.apply();
            return new LoadedEncoderDecoder(model, contents.vocabularies.isEmpty() ? null : contents.vocabularies.get(0),
                    contents.vocabularies.isEmpty() ? null : contents.vocabularies.get(1), contents.optimizer,
                    contents.metadata);
        });
    }

    /** Parses a verified payload. */
    private interface PayloadReader<T> {
        T read(DataInputStream in, int length) throws IOException;
    }

    private static <T> T read(Path file, PayloadReader<T> reader) throws IOException {
        byte[] all = Files.readAllBytes(file);
        String name = file.toString();
        if (all.length < HEADER + 4) {
            throw new IOException(name + ": truncated: " + all.length + " bytes, a checkpoint has at least "
                    + (HEADER + 4));
        }
        ByteBuffer buffer = ByteBuffer.wrap(all);
        byte[] magic = new byte[MAGIC.length];
        buffer.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException(name + ": not a jrnn checkpoint (the file does not start with \"JRNNCKPT\")");
        }
        int version = buffer.getInt();
        if (version != VERSION) {
            throw new IOException(name + ": checkpoint format version " + version + ", this jrnn reads version "
                    + VERSION);
        }
        long length = buffer.getLong();
        if (length != all.length - HEADER - 4L) {
            throw new IOException(name + ": " + (length > all.length - HEADER - 4L ? "truncated" : "corrupt")
                    + ": the header declares a payload of " + length + " bytes, the file holds "
                    + (all.length - HEADER - 4L));
        }
        CRC32 crc = new CRC32();
        crc.update(all, HEADER, (int) length);
        int stored = ByteBuffer.wrap(all, HEADER + (int) length, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new IOException(name + ": corrupt: checksum mismatch (stored " + Integer.toHexString(stored)
                    + ", computed " + Long.toHexString(crc.getValue()) + ")");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, HEADER, (int) length));
        try {
            T result = reader.read(in, (int) length);
            if (in.available() != 0) {
                throw new IOException(in.available() + " unexpected bytes after the contents");
            }
            return result;
        } catch (EOFException e) {
            throw new IOException(name + ": corrupt: the payload ends early", e);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new IOException(name + ": " + (e.getMessage() != null && e.getMessage().startsWith("this file")
                    ? "" : "corrupt: ") + e.getMessage(), e);
        }
    }

    private static void expectKind(DataInputStream in, String expected) throws IOException {
        String kind = in.readUTF();
        if (kind.equals(expected)) {
            return;
        }
        if (kind.equals(SEQUENCE_MODEL) || kind.equals(ENCODER_DECODER)) {
            throw new IOException("this file holds kind '" + kind + "', not '" + expected + "'; load it with "
                    + (kind.equals(SEQUENCE_MODEL) ? "Checkpoint.load" : "Checkpoint.loadEncoderDecoder"));
        }
        throw new IOException("unknown model kind '" + kind + "'");
    }

    /** A sequence model's architecture, read, with the mask counts to resume. */
    private static final class ArchitectureReader {
        SequenceModel model;
        final List<Long> passes = new ArrayList<>();

        void resume(SequenceModel built) {
            int next = 0;
            for (SequenceLayer layer : built.layers()) {
                if (layer instanceof Dropout d) {
                    d.resume(passes.get(next++));
                } else {
                    for (RecurrentLayer l : layer.recurrentLayers()) {
                        l.resumeRecurrentDropout(passes.get(next++));
                    }
                }
            }
        }
    }

    private static ArchitectureReader readArchitecture(DataInputStream in, int length, Backend backend)
            throws IOException {
        ArchitectureReader result = new ArchitectureReader();
        long seed = in.readLong();
        int stages = count(in, length, "stages");
        List<LayerSpec> spec = new ArrayList<>();
        boolean trainable = true;
        for (int k = 0; k < stages; k++) {
            String tag = in.readUTF();
            switch (tag) {
                case "embed" -> {
                    spec.add(new LayerSpec.Embed(in.readInt(), in.readInt()));
                    trainable = in.readBoolean();
                }
                case "input" -> spec.add(new LayerSpec.Input(in.readInt()));
                case "rnn" -> {
                    Cell cell = Cell.valueOf(in.readUTF());
                    int hidden = in.readInt();
                    OutputMode mode = OutputMode.valueOf(in.readUTF());
                    String merge = in.readUTF();
                    float rate = in.readFloat();
                    spec.add(new LayerSpec.Rnn(cell, hidden, mode,
                            merge.isEmpty() ? null : Bidirectional.Merge.valueOf(merge), rate));
                    result.passes.add(in.readLong());
                    if (!merge.isEmpty()) {
                        result.passes.add(in.readLong());
                    }
                }
                case "dropout" -> {
                    spec.add(new LayerSpec.Drop(in.readFloat()));
                    result.passes.add(in.readLong());
                }
                case "softmax" -> spec.add(new LayerSpec.Softmax(in.readInt()));
                case "hsoftmax" -> {
                    long[] counts = new long[count(in, length / 8, "hierarchical softmax classes")];
                    for (int i = 0; i < counts.length; i++) {
                        counts[i] = in.readLong();
                    }
                    spec.add(new LayerSpec.Hierarchical(counts));
                }
                case "regression" -> spec.add(new LayerSpec.Regression(in.readInt()));
                default -> throw new IOException("unknown stage '" + tag + "'");
            }
        }
        checkSizes(spec, length);
        result.model = new SequenceModel(backend, spec, seed);
        if (result.model.embedding() != null) {
            result.model.embedding().trainable(trainable);
        }
        return result;
    }

    /** Parameter values, vocabularies and optimizer state, read and checked but not yet applied. */
    private static final class Contents {
        List<Parameters> sets;
        final List<float[]> values = new ArrayList<>();
        final List<Vocabulary> vocabularies = new ArrayList<>();
        OptimizerState optimizer;
        Map<String, String> metadata;

        void apply() {
            for (int i = 0; i < sets.size(); i++) {
                System.arraycopy(values.get(i), 0, sets.get(i).values(), 0, values.get(i).length);
            }
        }
    }

    private static Contents readContents(DataInputStream in, int length, List<Parameters> sets,
                                         List<Parameters> trained, int maxVocabularies) throws IOException {
        Contents contents = new Contents();
        contents.sets = sets;
        int savedSets = in.readInt();
        if (savedSets != sets.size()) {
            throw new IOException("the architecture has " + sets.size() + " parameter sets, the file " + savedSets);
        }
        for (Parameters p : sets) {
            String owner = in.readUTF();
            int tensors = in.readInt();
            if (!owner.equals(p.owner()) || tensors != p.tensors().size()) {
                throw new IOException("parameter set '" + owner + "' with " + tensors + " tensors does not match the "
                        + "architecture's '" + p.owner() + "' with " + p.tensors().size());
            }
            for (Parameters.Tensor t : p.tensors()) {
                String tensor = in.readUTF();
                int rows = in.readInt();
                int cols = in.readInt();
                if (!tensor.equals(t.name()) || rows != t.rows() || cols != t.cols()) {
                    throw new IOException(owner + "." + tensor + " [" + rows + "][" + cols + "] does not match the "
                            + "architecture's " + owner + "." + t.name() + " [" + t.rows() + "][" + t.cols() + "]");
                }
            }
            contents.values.add(readFloats(in, p.size()));
        }
        int vocabularies = count(in, maxVocabularies, "vocabularies");
        for (int v = 0; v < vocabularies; v++) {
            int words = count(in, length / 2, "vocabulary words");
            List<String> list = new ArrayList<>(words);
            for (int i = 0; i < words; i++) {
                list.add(in.readUTF());
            }
            contents.vocabularies.add(Vocabulary.of(list));
        }
        if (in.readBoolean()) {
            String name = in.readUTF();
            long steps = in.readLong();
            int n = in.readInt();
            if (n != trained.size()) {
                throw new IOException("optimizer state for " + n + " parameter sets, the model trains "
                        + trained.size());
            }
            List<float[][]> slots = new ArrayList<>();
            for (Parameters p : trained) {
                float[][] s = new float[count(in, 8, "optimizer slots")][];
                for (int i = 0; i < s.length; i++) {
                    s[i] = readFloats(in, p.size());
                }
                slots.add(s);
            }
            contents.optimizer = new OptimizerState(name, steps, slots);
        }
        int entries = count(in, length / 4, "metadata entries");
        Map<String, String> metadata = new TreeMap<>();
        for (int i = 0; i < entries; i++) {
            metadata.put(in.readUTF(), in.readUTF());
        }
        contents.metadata = java.util.Collections.unmodifiableMap(metadata);
        return contents;
    }

    /** Rejects architectures whose parameters could not fit in the payload before allocating them. */
    private static void checkSizes(List<LayerSpec> spec, int length) throws IOException {
        long budget = length / Float.BYTES;
        for (LayerSpec s : spec) {
            long size = switch (s) {
                case LayerSpec.Embed e -> (long) e.vocabulary() * e.dim();
                case LayerSpec.Rnn r -> (long) r.hidden() * r.hidden();
                case LayerSpec.Softmax x -> x.classes();
                case LayerSpec.Regression r -> r.outputs();
                case LayerSpec.Input i -> i.size();
                default -> 0;
            };
            if (size > budget) {
                throw new IOException("stage " + s + " needs more parameters than the file holds");
            }
        }
    }

    private static int count(DataInputStream in, int limit, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > limit) {
            throw new IOException("implausible count of " + what + ": " + n);
        }
        return n;
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        byte[] bytes = new byte[n * Float.BYTES];
        in.readFully(bytes);
        float[] values = new float[n];
        ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
        return values;
    }
}
