package org.qat4j.examples.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.qat4j.core.train.TrainingDivergedException;
import org.qat4j.datasets.DataFileException;
import org.qat4j.examples.run.RunRefusedException;
import org.qat4j.runtime.model.ModelFormatException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure of a {@code qat} command into one line on standard error, {@code qat CMD: what went
 * wrong}, and its documented {@link ExitCode}; the stack trace only with {@code --debug}. An expected failure
 * ({@link UserError}, a missing or malformed file, a refused run directory, a diverged training) is found
 * anywhere in the cause chain; anything else is an internal error (exit 70) and says how to report it.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

    /** The option that shows stack traces; inherited by every subcommand. */
    static final String DEBUG = "--debug";

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        Throwable known = expected(ex);
        int code = known == null ? ExitCode.INTERNAL : exitCode(known);
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        if (known == null) {
            err.println(name + ": internal error: " + describe(ex));
        } else {
            err.println(name + ": " + message(known));
        }
        if (debug(parseResult)) {
            ex.printStackTrace(err);
        } else if (known == null) {
            err.println(name + ": rerun with " + DEBUG + " for the stack trace, and please report it");
        }
        err.flush();
        verdict(cmd);
        return code;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + name + " --help' for the options.");
        if (java.util.Arrays.asList(args).contains(DEBUG)) {
            ex.printStackTrace(err);
        }
        err.flush();
        verdict(cmd);
        return ExitCode.USAGE;
    }

    /** The exit code of an expected failure. */
    static int exitCode(Throwable known) {
        if (known instanceof UserError u) {
            return u.exitCode();
        }
        if (known instanceof RunRefusedException) {
            return ExitCode.RUN_REFUSED;
        }
        if (known instanceof TrainingDivergedException) {
            return ExitCode.TRAINING_FAILED;
        }
        if (known instanceof InterruptedException) {
            return ExitCode.INTERRUPTED;
        }
        return ExitCode.INPUT;
    }

    /** The first expected failure in the cause chain of {@code e}, or null. */
    static Throwable expected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UserError
                    || t instanceof RunRefusedException
                    || t instanceof TrainingDivergedException
                    || t instanceof DataFileException
                    || t instanceof ModelFormatException
                    || t instanceof FileSystemException
                    || t instanceof InterruptedException) {
                return t;
            }
        }
        // any other I/O failure is about a file the user named (unchecked ones wrap it)
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException) {
                return t;
            }
        }
        return null;
    }

    /** The user's line for an expected failure: names the file for file-system errors. */
    static String message(Throwable known) {
        if (known instanceof NoSuchFileException f) {
            return f.getReason() != null
                    ? f.getFile() + ": " + f.getReason()
                    : "no such file or directory: " + f.getFile();
        }
        if (known instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (known instanceof NotDirectoryException f) {
            return "not a directory: " + f.getFile();
        }
        if (known instanceof FileAlreadyExistsException f) {
            return "already exists (and is in the way): " + f.getFile();
        }
        if (known instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        if (known instanceof InterruptedException) {
            return "interrupted";
        }
        return describe(known);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    private static boolean debug(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(DEBUG)) {
                return true;
            }
        }
        return false;
    }

    private static void verdict(CommandLine cmd) {
        if (cmd.getCommand() instanceof Verdict) {
            cmd.getOut().println(Verdict.FAILED);
            cmd.getOut().flush();
        }
    }
}
