package org.jrnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.jrnn.spi.Probe;

class SimdBackendProviderTest {

    @Test
    void theRegistryPicksSimdWhenTheModuleIsPresent() {
        // This test run has --add-modules jdk.incubator.vector and jrnn.backend.require=simd (see the pom).
        Backend backend = Backends.get();
        assertEquals("simd", backend.name());
        assertTrue(backend.capabilities().fma());
        assertEquals(Math.min(512, VectorWidths.preferred()), backend.capabilities().vectorBits());
    }

    @Test
    void probeIsAvailableHere() {
        assertTrue(new SimdBackendProvider().probe().isAvailable());
        assertEquals(100, new SimdBackendProvider().priority());
    }

    @Test
    @ResourceLock("system-properties")
    void widthPropertyChoosesTheWidth() {
        String old = System.getProperty(SimdBackendProvider.BITS_PROPERTY);
        try {
            System.setProperty(SimdBackendProvider.BITS_PROPERTY, "256");
            assertEquals(256, new SimdBackendProvider().create().capabilities().vectorBits());
            System.setProperty(SimdBackendProvider.BITS_PROPERTY, "300");
            Probe probe = new SimdBackendProvider().probe();
            assertFalse(probe.isAvailable());
            assertTrue(probe.reason().contains("jrnn.simd.bits=300"), probe.toString());
            assertTrue(probe.fix().contains("128, 256 or 512"), probe.toString());
        } finally {
            if (old == null) {
                System.clearProperty(SimdBackendProvider.BITS_PROPERTY);
            } else {
                System.setProperty(SimdBackendProvider.BITS_PROPERTY, old);
            }
        }
    }

    @Test
    void unsupportedWidthIsRejectedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SimdBackend(64));
        assertEquals("vector width must be 128, 256 or 512 bits, found 64", e.getMessage());
    }

    @Test
    void capabilitiesNameTheWidth() {
        assertEquals("name=simd vector=128 bits fma=yes jdk=" + Runtime.version().feature() + " kernel-threads=1",
                new SimdBackend(128).capabilities().describe());
    }
}
