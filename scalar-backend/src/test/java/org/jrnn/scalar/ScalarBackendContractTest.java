package org.jrnn.scalar;

import org.jrnn.spi.Backend;
import org.jrnn.tck.BackendContract;

/** The scalar reference backend passes every contract of the kit. */
class ScalarBackendContractTest implements BackendContract {
    private final Backend backend = new ScalarBackend();

    @Override
    public Backend backend() {
        return backend;
    }
}
