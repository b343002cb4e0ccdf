package org.jrnn.tck;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * QuickTheories generators biased toward the sizes where kernels break: 1, primes, and one either side of
 * every common vector width (4, 8, 16 floats), plus offsets and leading-dimension padding. Every size
 * generator shrinks toward 1, every offset toward 0.
 */
public final class Generators {
    /** Sizes that exercise vector tails: 1, primes, lanes ± 1 for 4, 8 and 16 lanes, and 3·16 + 1. */
    public static final List<Integer> AWKWARD_SIZES =
            List.of(1, 2, 3, 4, 5, 7, 8, 9, 11, 13, 15, 16, 17, 23, 31, 32, 33, 47, 48, 49, 64, 65);

    private Generators() {
    }

    /** Sizes in {@code [1, max]}: awkward ones half of the time, any other the rest. */
    public static Gen<Integer> sizes(int max) {
        List<Integer> awkward = AWKWARD_SIZES.stream().filter(s -> s <= max).toList();
        return Generate.pick(awkward).mix(Generate.range(1, max), 50);
    }

    /** Sizes in {@code [0, max]}, zero included (for primitives that accept empty problems). */
    public static Gen<Integer> sizesOrZero(int max) {
        return Generate.pick(List.of(0)).mix(sizes(max), 90);
    }

    /** Offsets into an array: 0 most often, otherwise a small odd or even shift. */
    public static Gen<Integer> offsets() {
        return Generate.pick(List.of(0, 1, 3, 4, 7, 16));
    }

    /** Extra columns added to a row width to form a leading dimension. */
    public static Gen<Integer> padding() {
        return Generate.pick(List.of(0, 1, 2, 5, 16));
    }

    /**
     * A tuple of integers, one from each generator, each shrinking on its own. Cases are built from such
     * tuples with {@link Gen#map}, so that a counterexample shrinks field by field.
     */
    @SafeVarargs
    public static Gen<int[]> tuple(Gen<Integer>... gens) {
        Gen<int[]> acc = gens[0].map(v -> new int[] {v});
        for (int i = 1; i < gens.length; i++) {
            acc = acc.zip(gens[i], (head, v) -> {
                int[] next = java.util.Arrays.copyOf(head, head.length + 1);
                next[head.length] = v;
                return next;
            });
        }
        return acc;
    }

    /** An index into a list of {@code count} choices, shrinking toward 0. */
    public static Gen<Integer> choice(int count) {
        return Generate.range(0, count - 1);
    }

    /** Seeds for the values of a case; shrink toward 0. */
    public static Gen<Long> seeds() {
        return Generate.longRange(0, 1L << 40);
    }


    /** Fills {@code a[off .. off+n)} uniform in {@code [-scale, scale)} from {@code random}. */
    public static void fill(SplittableRandom random, float[] a, int off, int n, double scale) {
        for (int i = 0; i < n; i++) {
            a[off + i] = (float) ((2 * random.nextDouble() - 1) * scale);
        }
    }

    /**
     * A matrix of {@code rows × cols} at offset {@code off} with leading dimension {@code ld} in an array
     * whose other elements (before, between rows, after) hold {@code guard}, so that a kernel that writes
     * outside its matrix is caught.
     */
    public static float[] matrix(SplittableRandom random, int rows, int cols, int off, int ld, double scale,
                                 float guard) {
        int length = off + Math.max(0, rows - 1) * ld + cols + 3;
        float[] a = new float[length];
        java.util.Arrays.fill(a, guard);
        for (int r = 0; r < rows; r++) {
            fill(random, a, off + r * ld, cols, scale);
        }
        return a;
    }

    /** Per-sequence lengths in {@code [1, time]} for a batch, from a seed; at least one equals {@code time}. */
    public static int[] lengths(long seed, int batch, int time) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] lengths = IntStream.range(0, batch).map(b -> 1 + random.nextInt(time)).toArray();
        lengths[random.nextInt(batch)] = time;
        return lengths;
    }
}
