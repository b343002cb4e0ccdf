package org.jrnn.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code jrnn} program. Exit codes: 0 success, 1 failure (one line on standard error, the stack trace only
 * with {@code --verbose}), 2 usage error (the message and the command's usage).
 */
@Command(name = "jrnn", mixinStandardHelpOptions = true, versionProvider = Jrnn.Version.class,
        description = {"A pure-Java engine for recurrent neural networks: train, sample from and evaluate "
                + "character- or word-level language models, and run the classic experiments.", ""},
        subcommands = {TrainCommand.class, SampleCommand.class, EvalCommand.class, ExperimentCommand.class,
                InferCommand.class, ConvertCommand.class, BackendsCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Start with: jrnn train   (a one-minute run on the built-in corpus)"})
public final class Jrnn implements Runnable {

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of failures.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the program and returns its exit code (for tests; {@link #main} exits with it). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine line = commandLine();
        line.setOut(out);
        line.setErr(err);
        return line.execute(args);
    }

    /** jrnn's loggers: warnings only, unless --verbose (held here so that the level is not collected away). */
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("org.jrnn");

    static CommandLine commandLine() {
        CommandLine line = new CommandLine(new Jrnn());
        LOG.setLevel(java.util.logging.Level.WARNING);
        line.setExecutionStrategy(parsed -> {
            Jrnn root = parsed.commandSpec().root().commandLine().getCommand();
            LOG.setLevel(root.verbose ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
            return new CommandLine.RunLast().execute(parsed);
        });
        line.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println(name(cmd) + ": " + e.getMessage() + " (see '" + name(cmd) + " --help')");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        });
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Jrnn root = cmd.getCommandSpec().root().commandLine().getCommand();
            PrintWriter err = cmd.getErr();
            err.println(name(cmd) + ": " + message(e));
            if (root.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        });
        return line;
    }

    /** "jrnn train", "jrnn experiment adding", or "jrnn". */
    private static String name(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName();
    }

    private static String message(Exception e) {
        if (e instanceof CliException || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof java.io.IOException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + " (run with --verbose for the stack trace)";
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Jrnn.class.getPackage().getImplementationVersion();
            return new String[] {"jrnn " + (v == null ? "(development build)" : v),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
