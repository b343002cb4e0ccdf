package org.jrnn.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jrnn.spi.Backend;
import org.jrnn.spi.BackendProvider;
import org.jrnn.spi.Backends;
import org.junit.jupiter.api.Test;

class ScalarBackendProviderTest {
    @Test
    void registeredThroughServiceLoaderAndAlwaysAvailable() {
        BackendProvider provider = Backends.providers().stream()
                .filter(p -> p.name().equals("scalar")).findFirst().orElseThrow();
        assertTrue(provider.probe().isAvailable());
        assertEquals(0, provider.priority());
        Backend backend = Backends.get("scalar");
        assertEquals("scalar", backend.name());
        assertEquals(32, backend.capabilities().vectorBits());
        assertEquals(Runtime.version().feature(), backend.capabilities().jdkVersion());
    }
}
