package org.jrnn.tck;

import org.jrnn.spi.Backend;

/**
 * What a contract needs from the test class that runs it: the backend to check. A backend author writes
 * <pre>{@code
 * class MyBackendContractTest implements BackendContract {
 *     public Backend backend() { return new MyBackend(); }
 * }
 * }</pre>
 */
public interface BackendUnderTest {
    /** The backend under test; may return the same instance every time. */
    Backend backend();
}
