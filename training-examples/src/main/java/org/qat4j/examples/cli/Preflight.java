package org.qat4j.examples.cli;

import org.qat4j.examples.run.RunLock;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Checks a {@code qat train} command line in the JVM the user started, before {@link EngineRelaunch} starts a
 * child JVM for it: a typo, a bad value or a refused run directory is told in one line at once, not after a
 * JVM restart and its messages. Reads only; the child checks everything again.
 */
final class Preflight {

    private Preflight() {}

    /** @return the exit code of a refused command, or -1 to go on */
    static int check(String[] args) {
        if (System.getenv(RunLock.LAUNCHER_PID) != null || args.length == 0 || !args[0].equals("train")) {
            return -1;
        }
        CommandLine cl = QatCommand.commandLine();
        ParseResult parsed;
        try {
            parsed = cl.parseArgs(args);
        } catch (ParameterException e) {
            try {
                return cl.getParameterExceptionHandler().handleParseException(e, args);
            } catch (Exception unexpected) {
                return ExitCode.USAGE;
            }
        }
        ParseResult sub = parsed.subcommand();
        if (sub == null
                || sub.isUsageHelpRequested()
                || sub.isVersionHelpRequested()
                || !(sub.commandSpec().userObject() instanceof TrainCommand train)) {
            return -1;
        }
        try {
            train.preflight();
            return -1;
        } catch (Exception e) {
            try {
                return cl.getExecutionExceptionHandler()
                        .handleExecutionException(e, sub.commandSpec().commandLine(), parsed);
            } catch (Exception unexpected) {
                return ExitCode.INTERNAL;
            }
        }
    }
}
