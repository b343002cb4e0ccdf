package org.jrnn.spi;

import java.util.Objects;

/**
 * The answer of {@link BackendProvider#probe()}: whether the backend can run in this JVM and, if not,
 * why and how to fix it.
 */
public final class Probe {
    private static final Probe AVAILABLE = new Probe(true, "", "");

    private final boolean available;
    private final String reason;
    private final String fix;

    private Probe(boolean available, String reason, String fix) {
        this.available = available;
        this.reason = reason;
        this.fix = fix;
    }

    /** The backend can be created here. */
    public static Probe available() {
        return AVAILABLE;
    }

    /**
     * The backend cannot run here.
     *
     * @param reason what is missing, e.g. "module jdk.incubator.vector is not in the boot layer"
     * @param fix    what the user can do, e.g. "start java with --add-modules jdk.incubator.vector"
     */
    public static Probe unavailable(String reason, String fix) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(fix, "fix");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("an unavailable probe needs a reason");
        }
        return new Probe(false, reason, fix);
    }

    public boolean isAvailable() {
        return available;
    }

    /** Why the backend cannot run; empty when available. */
    public String reason() {
        return reason;
    }

    /** How to make it run; empty when available or when nothing can be done. */
    public String fix() {
        return fix;
    }

    /** {@code "available"} or {@code "unavailable: reason; fix: fix"}. */
    @Override
    public String toString() {
        if (available) {
            return "available";
        }
        return fix.isEmpty() ? "unavailable: " + reason : "unavailable: " + reason + "; fix: " + fix;
    }
}
