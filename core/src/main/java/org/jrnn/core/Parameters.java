package org.jrnn.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The parameters of one layer in one flat {@code float[]}, with named row-major views, and an identically
 * shaped array for their gradients. Backward passes add into the gradients; call {@link #zeroGradients()}
 * once per batch.
 */
public final class Parameters {

    /** A named view {@code [rows][cols]} at {@code offset} (a vector is one row). */
    public record Tensor(String name, int offset, int rows, int cols) {
        /** Number of elements. */
        public int size() {
            return rows * cols;
        }
    }

    private String owner;
    private final List<Tensor> tensors;
    private final float[] values;
    private final float[] gradients;
    /** Counts the occasions the values may have changed on (see {@link #values()}). */
    private long version;

    private Parameters(String owner, List<Tensor> tensors, int size) {
        this.owner = owner;
        this.tensors = List.copyOf(tensors);
        this.values = new float[size];
        this.gradients = new float[size];
    }

    /** Starts a parameter set for the layer named {@code owner}. */
    public static Builder builder(String owner) {
        return new Builder(owner);
    }

    /** Collects named tensors in order. */
    public static final class Builder {
        private String owner;
        private final List<Tensor> tensors = new ArrayList<>();
        private int size;

        private Builder(String owner) {
            this.owner = Objects.requireNonNull(owner, "owner");
        }

        /** Adds a {@code [rows][cols]} tensor. */
        public Builder add(String name, int rows, int cols) {
            tensors.add(new Tensor(name, size, rows, cols));
            size = Math.addExact(size, Math.multiplyExact(rows, cols));
            return this;
        }

        public Parameters build() {
            return new Parameters(owner, tensors, size);
        }
    }

    /** The layer these parameters belong to, for messages. */
    public String owner() {
        return owner;
    }

    /** Renames the owner (a model names its layers by position). */
    void rename(String newOwner) {
        this.owner = Objects.requireNonNull(newOwner, "newOwner");
    }

    /**
     * All values, tensors back to back in the order they were added: the live array, which the caller may read
     * and write. Layers may keep derived copies of their weights across calls (a recurrent layer's streaming
     * {@link RecurrentLayer#step} keeps them packed for its kernels) and rebuild them after this method, after
     * {@link #set} and after {@link #changed()}: code that writes through an array it obtained earlier calls
     * {@link #changed()} before the layer is used again.
     */
    public float[] values() {
        version++;
        return values;
    }

    /** Marks the values as changed through an array obtained earlier from {@link #values()}. */
    public void changed() {
        version++;
    }

    /** The live values for reading (or for writes followed by {@link #changed()}), without marking a change. */
    float[] array() {
        return values;
    }

    /** Changes whenever the values may have changed: copies derived from them are stale when it differs. */
    long version() {
        return version;
    }

    /** The gradients, same layout as {@link #values()}. */
    public float[] gradients() {
        return gradients;
    }

    /** Total number of parameters. */
    public int size() {
        return values.length;
    }

    /** The named tensors, in layout order. */
    public List<Tensor> tensors() {
        return tensors;
    }

    /** The tensor with that name. */
    public Tensor tensor(String name) {
        for (Tensor t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException(owner + " has no parameter '" + name + "'; it has "
                + tensors.stream().map(Tensor::name).toList());
    }

    /** The tensor holding flat index {@code index}, for messages. */
    public Tensor tensorAt(int index) {
        for (Tensor t : tensors) {
            if (index >= t.offset() && index < t.offset() + t.size()) {
                return t;
            }
        }
        throw new IndexOutOfBoundsException("index " + index + " outside " + owner + " (" + size() + " values)");
    }

    /** Sets every gradient to zero. */
    public void zeroGradients() {
        Arrays.fill(gradients, 0f);
    }

    /** Copies {@code source} into the named tensor; its length must match. */
    public void set(String name, float[] source) {
        Tensor t = tensor(name);
        if (source.length != t.size()) {
            throw new IllegalArgumentException(owner + "." + name + " has " + t.rows() + " x " + t.cols() + " = "
                    + t.size() + " values, found " + source.length);
        }
        System.arraycopy(source, 0, values, t.offset(), t.size());
        version++;
    }

    /** A copy of the named tensor's values. */
    public float[] get(String name) {
        Tensor t = tensor(name);
        return Arrays.copyOfRange(values, t.offset(), t.offset() + t.size());
    }

    /** A copy of the named tensor's gradients. */
    public float[] gradient(String name) {
        Tensor t = tensor(name);
        return Arrays.copyOfRange(gradients, t.offset(), t.offset() + t.size());
    }
}
