package org.jrnn.spi;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The backend registry: finds the {@link BackendProvider}s with {@link ServiceLoader} and picks one.
 *
 * <p>Selection, for {@link #get()}:
 * <ol>
 *   <li>If the system property {@value #BACKEND_PROPERTY} names a backend, that backend is used; if it is
 *       missing or cannot run here, selection throws {@link BackendUnavailableException} — it never
 *       substitutes another.</li>
 *   <li>Otherwise the providers are tried from the highest priority down; each one skipped because it is
 *       unavailable logs one WARNING with its reason and fix, and the first that can run wins.</li>
 *   <li>The winner logs one INFO line with its capabilities.</li>
 *   <li>If {@value #REQUIRE_PROPERTY} is set and another backend won, selection throws — so a CI run meant
 *       for one backend cannot pass on a silent fallback.</li>
 * </ol>
 * Messages go to the {@link System.Logger} named {@code org.jrnn}.
 */
public final class Backends {
    /** System property: the name of the backend to use; it must load or selection fails. */
    public static final String BACKEND_PROPERTY = "jrnn.backend";
    /** System property: selection fails unless the chosen backend has this name. */
    public static final String REQUIRE_PROPERTY = "jrnn.backend.require";

    private static final String LOGGER_NAME = "org.jrnn";

    private Backends() {
    }

    /**
     * The backend chosen by the rules above, from the system properties and the providers on the class or
     * module path. Chosen once per JVM; later calls return the same instance.
     *
     * @throws BackendUnavailableException if a forced or required backend cannot be used, or none can run
     */
    public static Backend get() {
        if (Default.FAILURE != null) {
            throw new BackendUnavailableException(Default.FAILURE.getMessage(), Default.FAILURE);
        }
        return Default.BACKEND;
    }

    /**
     * A new instance of the named backend, regardless of priority.
     *
     * @throws BackendUnavailableException if no provider has that name or it cannot run here
     */
    public static Backend get(String name) {
        return create(find(providers(), name, "backend '" + name + "'"), "backend '" + name + "'");
    }

    /** Every provider found, highest priority first (ties by name). */
    public static List<BackendProvider> providers() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparingInt(BackendProvider::priority).reversed()
                .thenComparing(BackendProvider::name));
        return List.copyOf(found);
    }

    /** Every backend that can run here, highest priority first: one new instance each. */
    public static List<Backend> available() {
        List<Backend> backends = new ArrayList<>();
        for (BackendProvider provider : providers()) {
            if (provider.probe().isAvailable()) {
                backends.add(provider.create());
            }
        }
        return List.copyOf(backends);
    }

    /**
     * The selection rules applied to given providers and properties; {@link #get()} calls it with the
     * {@link ServiceLoader} providers and {@link System#getProperty}. Public so that the rules can be tested
     * and reused without touching global state.
     *
     * @param providers  candidates, in any order
     * @param properties looks up {@value #BACKEND_PROPERTY} and {@value #REQUIRE_PROPERTY}; null means unset
     * @param logger     receives the WARNING and INFO lines
     */
    public static Backend select(List<BackendProvider> providers, Function<String, String> properties,
                                 Logger logger) {
        String forced = blankToNull(properties.apply(BACKEND_PROPERTY));
        String required = blankToNull(properties.apply(REQUIRE_PROPERTY));
        Backend chosen;
        if (forced != null) {
            String what = BACKEND_PROPERTY + "=" + forced;
            chosen = create(find(providers, forced, what), what);
        } else {
            chosen = firstAvailable(providers, logger);
        }
        if (required != null && !chosen.name().equalsIgnoreCase(required)) {
            BackendProvider wanted = providers.stream().filter(p -> p.name().equalsIgnoreCase(required))
                    .findFirst().orElse(null);
            String why = wanted == null ? "no provider named '" + required + "' was found"
                    : "'" + required + "' is " + wanted.probe();
            throw new BackendUnavailableException(REQUIRE_PROPERTY + "=" + required + " but backend '"
                    + chosen.name() + "' was selected: " + why);
        }
        logger.log(Level.INFO, "jrnn backend: " + chosen.capabilities().describe());
        return chosen;
    }

    private static Backend firstAvailable(List<BackendProvider> providers, Logger logger) {
        List<BackendProvider> ordered = new ArrayList<>(providers);
        ordered.sort(Comparator.comparingInt(BackendProvider::priority).reversed()
                .thenComparing(BackendProvider::name));
        List<String> reasons = new ArrayList<>();
        for (BackendProvider provider : ordered) {
            Probe probe = provider.probe();
            if (!probe.isAvailable()) {
                logger.log(Level.WARNING, "jrnn backend '" + provider.name() + "' skipped: " + probe);
                reasons.add(provider.name() + ": " + probe);
                continue;
            }
            try {
                return provider.create();
            } catch (RuntimeException | LinkageError e) {
                logger.log(Level.WARNING, "jrnn backend '" + provider.name()
                        + "' skipped: its probe passed but creating it failed: " + e);
                reasons.add(provider.name() + ": creation failed: " + e);
            }
        }
        throw new BackendUnavailableException("no jrnn backend can run here"
                + (reasons.isEmpty() ? " (no provider was found on the class or module path; add jrnn-scalar-backend)"
                : ": " + String.join("; ", reasons)));
    }

    private static BackendProvider find(List<BackendProvider> providers, String name, String what) {
        for (BackendProvider provider : providers) {
            if (provider.name().equalsIgnoreCase(name)) {
                return provider;
            }
        }
        List<String> names = providers.stream().map(BackendProvider::name).toList();
        throw new BackendUnavailableException(what + " names no provider; found: "
                + (names.isEmpty() ? "none" : String.join(", ", names)));
    }

    private static Backend create(BackendProvider provider, String what) {
        Probe probe = provider.probe();
        if (!probe.isAvailable()) {
            throw new BackendUnavailableException(what + " cannot be used: " + probe);
        }
        try {
            return provider.create();
        } catch (RuntimeException | LinkageError e) {
            throw new BackendUnavailableException(what + " cannot be used: creating it failed: " + e, e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim().toLowerCase(Locale.ROOT);
    }

    /** The JVM-wide choice, made on first use; a failed selection is remembered and reported each time. */
    private static final class Default {
        static final Backend BACKEND;
        static final BackendUnavailableException FAILURE;

        static {
            Backend backend = null;
            BackendUnavailableException failure = null;
            try {
                backend = select(providers(), System::getProperty, System.getLogger(LOGGER_NAME));
            } catch (BackendUnavailableException e) {
                failure = e;
            }
            BACKEND = backend;
            FAILURE = failure;
        }
    }
}
