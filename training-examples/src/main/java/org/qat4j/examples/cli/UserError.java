package org.qat4j.examples.cli;

/**
 * An expected failure of a {@code qat} command, told to the user as one line (no stack trace unless
 * {@code --debug}) with its {@link ExitCode}. The message names the option or file as the user typed it,
 * the value, and what to do.
 */
public final class UserError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private UserError(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** An invalid option or argument ({@link ExitCode#USAGE}). */
    public static UserError usage(String message) {
        return new UserError(ExitCode.USAGE, message, null);
    }

    /** A missing, unreadable or malformed input ({@link ExitCode#INPUT}). */
    public static UserError input(String message, Throwable cause) {
        return new UserError(ExitCode.INPUT, message, cause);
    }

    /** Any other expected failure with its code. */
    public static UserError of(int exitCode, String message, Throwable cause) {
        return new UserError(exitCode, message, cause);
    }

    /** The exit code of this failure. */
    public int exitCode() {
        return exitCode;
    }
}
