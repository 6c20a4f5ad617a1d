package org.bushfire.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The job's entry point, locally ({@code bin/bushfire}) and on the cluster ({@code flink run bushfire.jar
 * COMMAND ...}): one option parser, so local runs and EMR steps accept exactly the same options.
 */
@Command(name = "bushfire", mixinStandardHelpOptions = true, version = "bushfire 0.1.0",
        description = "Real-time bushfire alerting for IoT sensor networks on Apache Flink.",
        subcommands = {ReplayCommand.class, RunCommand.class, IndexCommand.class, DashboardCommand.class})
public final class BushfireCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command and returns its exit code (0 ok, 1 failure, 2 bad usage). */
    public static int execute(String... args) {
        return execute(System.err, args);
    }

    /** The same, with messages to {@code err} (tests, embedding). */
    public static int execute(java.io.PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new BushfireCli());
        cli.setErr(new java.io.PrintWriter(err, true));
        // A usage error names what to fix and where the reference is, without burying it under the full usage.
        cli.setParameterExceptionHandler((e, args1) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("bushfire: " + e.getMessage());
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException || e instanceof org.bushfire.job.StartupCheckFailed) {
                commandLine.getErr().println("bushfire: " + e.getMessage());
                return 2;
            }
            commandLine.getErr().println("bushfire: " + e);
            e.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see --help)");
    }
}
