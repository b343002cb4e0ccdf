package org.jrnn.scalar;

import org.jrnn.spi.Backend;
import org.jrnn.spi.BackendProvider;
import org.jrnn.spi.Probe;

/** Registers {@link ScalarBackend} under the name {@value ScalarBackend#NAME}, priority 0; always available. */
public final class ScalarBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return ScalarBackend.NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Probe probe() {
        return Probe.available();
    }

    @Override
    public Backend create() {
        return new ScalarBackend();
    }
}
