package org.jrnn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jrnn experiment}: the classic demonstrations. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Runs a classic experiment.", subcommands = AddingExperiment.class)
final class ExperimentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an experiment: adding");
    }
}
