package org.qat4j.examples.cli;

/**
 * The exit codes of every {@code qat} command (listed in {@code qat --help} and docs/cli.md; keep the three in step). A script can
 * tell "the model is wrong" (1) from "you typed something wrong" (2), "a file is missing or malformed" (3),
 * "the run directory was refused and left untouched" (4) and "training stopped" (5).
 */
public final class ExitCode {

    /** Success: for train/export/verify, the certificate holds and no output differs. */
    public static final int OK = 0;
    /** The work ran but its result failed: certificate rejected, bit-exact mismatches, {@code NOT VERIFIED}. */
    public static final int FAILED = 1;
    /** A command-line option or argument is invalid (unknown recipe, value out of range, conflicting options). */
    public static final int USAGE = 2;
    /** An input file or directory is missing, unreadable or malformed (data set, model, certificate, run files). */
    public static final int INPUT = 3;
    /** The run directory was refused (in use, holds another run, already finished); nothing in it was changed. */
    public static final int RUN_REFUSED = 4;
    /** Training or export stopped (non-finite loss, an export the network cannot make). */
    public static final int TRAINING_FAILED = 5;
    /** An unexpected internal error (a defect: please report it with the output of {@code --debug}). */
    public static final int INTERNAL = 70;
    /** Interrupted (Ctrl-C, SIGTERM): 128 + SIGINT. */
    public static final int INTERRUPTED = 130;

    private ExitCode() {}
}
