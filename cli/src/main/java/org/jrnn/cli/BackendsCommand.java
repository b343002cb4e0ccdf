package org.jrnn.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.jrnn.spi.BackendProvider;
import org.jrnn.spi.Backends;
import org.jrnn.spi.Probe;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jrnn backends}: what the registry finds and why a backend cannot run. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "Lists every backend provider found, whether it can run here (and if not, why and how to "
                + "fix it), its capabilities, and which one the registry picks.")
final class BackendsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (BackendProvider provider : Backends.providers()) {
            Probe probe = provider.probe();
            out.println(provider.name() + " (priority " + provider.priority() + "): "
                    + (probe.isAvailable() ? "available" : "unavailable"));
            if (probe.isAvailable()) {
                out.println("  " + provider.create().capabilities().describe());
            } else {
                out.println("  reason: " + probe.reason());
                out.println("  fix:    " + probe.fix());
            }
        }
        out.println("selected: " + Backends.get().capabilities().describe());
        out.flush();
        return 0;
    }
}
