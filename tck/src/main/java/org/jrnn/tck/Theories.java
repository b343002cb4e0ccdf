package org.jrnn.tck;

import static org.quicktheories.QuickTheory.qt;

import org.quicktheories.QuickTheory;

/**
 * The QuickTheories set-up every property of the kit uses: a fixed seed (so a run can be repeated) and a
 * number of examples, both overridable with system properties.
 *
 * <table>
 *   <caption>Properties</caption>
 *   <tr><td>{@value #SEED_PROPERTY}</td><td>the seed; default {@value #DEFAULT_SEED}</td></tr>
 *   <tr><td>{@value #EXAMPLES_PROPERTY}</td><td>examples per property; default {@value #DEFAULT_EXAMPLES}</td></tr>
 * </table>
 * On failure QuickTheories reports the seed and the shrunk counterexample.
 */
public final class Theories {
    /** System property: the seed of every property. */
    public static final String SEED_PROPERTY = "jrnn.tck.seed";
    /** System property: how many examples each property tries. */
    public static final String EXAMPLES_PROPERTY = "jrnn.tck.examples";
    /** The seed used unless {@value #SEED_PROPERTY} is set. */
    public static final long DEFAULT_SEED = 20261121L;
    /** The number of examples unless {@value #EXAMPLES_PROPERTY} is set. */
    public static final int DEFAULT_EXAMPLES = 200;

    private Theories() {
    }

    /** {@code qt()} with the kit's seed and example count. */
    public static QuickTheory theory() {
        return qt().withFixedSeed(Long.getLong(SEED_PROPERTY, DEFAULT_SEED))
                .withExamples(Integer.getInteger(EXAMPLES_PROPERTY, DEFAULT_EXAMPLES));
    }

}
