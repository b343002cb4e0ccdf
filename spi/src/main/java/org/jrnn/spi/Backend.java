package org.jrnn.spi;

/**
 * A backend: the arithmetic that layers run on, in four small groups. Obtain one from
 * {@link Backends#get()} (the registry's choice) or {@link Backends#get(String)}.
 *
 * <p>Rules shared by every primitive of every group:
 * <ul>
 *   <li>Arrays are addressed as in {@link Layout}: offset plus leading dimension, row-major.</li>
 *   <li>A primitive validates its arguments once at entry and throws {@link IllegalArgumentException}
 *       (negative sizes, a leading dimension smaller than the row) or
 *       {@link IndexOutOfBoundsException} (an array too short for the addressed elements) before it writes
 *       anything.</li>
 *   <li>Primitives allocate nothing in steady state (a backend may keep scratch space per thread, allocated
 *       once and replaced only by a larger one), keep no references to their arguments, and run on the
 *       calling thread; for given inputs the result is deterministic.</li>
 *   <li>Outputs that are "written" are overwritten and never read first, so stale NaNs cannot leak in.
 *       Outputs that "accumulate" are read and added to.</li>
 *   <li>Outputs may not overlap inputs unless the method's documentation allows it.</li>
 * </ul>
 * Backend instances are immutable and thread-safe: different threads may call them at the same time on
 * disjoint outputs.
 */
public interface Backend {
    /** The name its provider reports. */
    default String name() {
        return capabilities().name();
    }

    /** Width, FMA use, JDK and threads. */
    Capabilities capabilities();

    /** Matrix products. */
    MatrixOps matrix();

    /** Activations and their backward forms. */
    Activations activations();

    /** Fused element-wise steps of the recurrent cells. */
    Gates gates();

    /** Vector operations that training needs. */
    VectorOps vectors();
}
