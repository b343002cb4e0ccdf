package org.jrnn.simd;

import org.junit.jupiter.api.Nested;
import org.jrnn.spi.Backend;
import org.jrnn.tck.BackendContract;

/** The whole kit at every width the backend can be built for, on whatever CPU runs the tests. */
class SimdBackendContractTest {

    @Nested
    class Bits128 implements BackendContract {
        private final Backend backend = new SimdBackend(128);

        @Override
        public Backend backend() {
            return backend;
        }
    }

    @Nested
    class Bits256 implements BackendContract {
        private final Backend backend = new SimdBackend(256);

        @Override
        public Backend backend() {
            return backend;
        }
    }

    @Nested
    class Bits512 implements BackendContract {
        private final Backend backend = new SimdBackend(512);

        @Override
        public Backend backend() {
            return backend;
        }
    }
}
