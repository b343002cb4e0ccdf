package org.jrnn.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** The selection rules of {@link Backends#select}, with stand-in providers and a recording logger. */
class BackendsTest {

    /** A backend with no arithmetic: selection never calls it. */
    private record StubBackend(Capabilities capabilities) implements Backend {
        @Override
        public MatrixOps matrix() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Activations activations() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Gates gates() {
            throw new UnsupportedOperationException();
        }

        @Override
        public VectorOps vectors() {
            throw new UnsupportedOperationException();
        }
    }

    private record StubProvider(String name, int priority, Probe probe, Supplier<Backend> factory)
            implements BackendProvider {
        static StubProvider available(String name, int priority) {
            Backend b = new StubBackend(new Capabilities(name, 128, true, 25, 1));
            return new StubProvider(name, priority, Probe.available(), () -> b);
        }

        static StubProvider unavailable(String name, int priority) {
            return new StubProvider(name, priority, Probe.unavailable("module x is missing", "add --add-modules x"),
                    () -> {
                        throw new AssertionError("create() called on an unavailable provider");
                    });
        }

        @Override
        public Backend create() {
            return factory.get();
        }
    }

    private static final class RecordingLogger implements System.Logger {
        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }

        long count(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).count();
        }
    }

    private static Backend select(List<BackendProvider> providers, Map<String, String> properties,
                                  RecordingLogger logger) {
        return Backends.select(providers, properties::get, logger);
    }

    @Test
    void highestPriorityAvailableWinsAndLogsOneInfoLine() {
        RecordingLogger log = new RecordingLogger();
        Backend b = select(List.of(StubProvider.available("scalar", 0), StubProvider.available("fast", 10)),
                Map.of(), log);
        assertEquals("fast", b.name());
        assertEquals(List.of("INFO jrnn backend: name=fast vector=128 bits fma=yes jdk=25 kernel-threads=1"),
                log.lines);
    }

    @Test
    void unavailableProviderIsSkippedWithOneWarningNamingReasonAndFix() {
        RecordingLogger log = new RecordingLogger();
        Backend b = select(List.of(StubProvider.available("scalar", 0), StubProvider.unavailable("simd", 100)),
                Map.of(), log);
        assertEquals("scalar", b.name());
        assertEquals(1, log.count("WARNING"));
        assertTrue(log.lines.get(0).contains("simd") && log.lines.get(0).contains("module x is missing")
                && log.lines.get(0).contains("add --add-modules x"), log.lines.get(0));
        assertEquals(1, log.count("INFO"));
    }

    @Test
    void forcedButUnavailableBackendThrowsAndNeverSubstitutes() {
        RecordingLogger log = new RecordingLogger();
        List<BackendProvider> providers = List.of(StubProvider.available("scalar", 0),
                StubProvider.unavailable("simd", 100));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> select(providers, Map.of(Backends.BACKEND_PROPERTY, "simd"), log));
        assertTrue(e.getMessage().contains("jrnn.backend=simd") && e.getMessage().contains("module x is missing"),
                e.getMessage());
        assertTrue(log.lines.isEmpty(), "nothing was selected, so nothing is logged: " + log.lines);
    }

    @Test
    void forcedBackendIsUsedEvenWithLowerPriority() {
        RecordingLogger log = new RecordingLogger();
        Backend b = select(List.of(StubProvider.available("scalar", 0), StubProvider.available("fast", 10)),
                Map.of(Backends.BACKEND_PROPERTY, "Scalar"), log);
        assertEquals("scalar", b.name());
    }

    @Test
    void forcedUnknownBackendListsWhatWasFound() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> select(List.of(StubProvider.available("scalar", 0)), Map.of(Backends.BACKEND_PROPERTY, "gpu"),
                        new RecordingLogger()));
        assertEquals("jrnn.backend=gpu names no provider; found: scalar", e.getMessage());
    }

    @Test
    void requireFailsWhenAnotherBackendWins() {
        List<BackendProvider> providers = List.of(StubProvider.available("scalar", 0),
                StubProvider.unavailable("simd", 100));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> select(providers, Map.of(Backends.REQUIRE_PROPERTY, "simd"), new RecordingLogger()));
        assertTrue(e.getMessage().contains("jrnn.backend.require=simd but backend 'scalar' was selected")
                && e.getMessage().contains("module x is missing"), e.getMessage());
    }

    @Test
    void requireIsSatisfiedByTheWinner() {
        StubProvider fast = StubProvider.available("fast", 10);
        Backend b = select(List.of(StubProvider.available("scalar", 0), fast),
                Map.of(Backends.REQUIRE_PROPERTY, "fast"), new RecordingLogger());
        assertSame(fast.create(), b);
    }

    @Test
    void providerWhoseCreationFailsIsSkippedWithWarning() {
        RecordingLogger log = new RecordingLogger();
        StubProvider broken = new StubProvider("broken", 50, Probe.available(), () -> {
            throw new IllegalStateException("no CPU support");
        });
        Backend b = select(List.of(StubProvider.available("scalar", 0), broken), Map.of(), log);
        assertEquals("scalar", b.name());
        assertEquals(1, log.count("WARNING"));
        assertTrue(log.lines.get(0).contains("no CPU support"));
    }

    @Test
    void noProviderAtAllGivesAClearError() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> select(List.of(), Map.of(), new RecordingLogger()));
        assertTrue(e.getMessage().contains("no provider was found"), e.getMessage());
    }

    @Test
    void probeDescribesItself() {
        assertEquals("available", Probe.available().toString());
        assertEquals("unavailable: r; fix: f", Probe.unavailable("r", "f").toString());
        assertThrows(IllegalArgumentException.class, () -> Probe.unavailable(" ", "f"));
    }

    @Test
    void checksNameWhatWasExpectedAndFound() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> Checks.matrix("C", new float[5], 1, 2, 2, 3));
        assertEquals("C: a [2][2] matrix with leading dimension 3 at offset 1 needs elements [1, 6) but the array"
                + " has length 5", e.getMessage());
        IllegalArgumentException ld = assertThrows(IllegalArgumentException.class,
                () -> Checks.matrix("A", new float[9], 0, 3, 3, 2));
        assertEquals("A: leading dimension must be >= max(1, cols = 3), found 2", ld.getMessage());
        Checks.matrix("empty", null, 0, 0, 3, 3);
        assertThrows(IllegalArgumentException.class, () -> Checks.size("n", -1));
    }
}
