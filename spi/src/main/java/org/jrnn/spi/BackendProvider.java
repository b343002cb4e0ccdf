package org.jrnn.spi;

/**
 * The service a backend registers with {@link java.util.ServiceLoader} (in {@code module-info.java} with
 * {@code provides org.jrnn.spi.BackendProvider with ...} and in
 * {@code META-INF/services/org.jrnn.spi.BackendProvider}).
 *
 * <p>A provider must be cheap to construct and must not touch any class that may be missing at run time
 * (for example a {@code jdk.incubator.vector} type) before {@link #probe()} said the backend is available.
 */
public interface BackendProvider {
    /** The backend's name, lower case, as used by {@code -Djrnn.backend=NAME}; unique among providers. */
    String name();

    /** Higher wins when no backend is forced. The scalar reference backend has priority 0. */
    int priority();

    /** Checks, without side effects, whether the backend can run in this JVM. */
    Probe probe();

    /**
     * Creates the backend. Called only after {@link #probe()} returned available.
     *
     * @throws RuntimeException if the backend cannot be created after all
     */
    Backend create();
}
