package org.jrnn.cli;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;

import picocli.CommandLine.Option;

/** Options every computing command shares: the backend and the number of threads. */
final class RuntimeOptions {
    @Option(names = "--backend", paramLabel = "NAME",
            description = "Backend to use (see 'jrnn backends'); default: the registry's choice.")
    String backend;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads for the forward passes of recurrent layers (default: ${DEFAULT-VALUE}).")
    int threads;

    Backend backend() {
        if (threads < 1) {
            throw new CliException("--threads must be >= 1, found " + threads);
        }
        return backend == null ? Backends.get() : Backends.get(backend);
    }
}
