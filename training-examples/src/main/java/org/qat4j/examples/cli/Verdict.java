package org.qat4j.examples.cli;

/**
 * A command whose output always ends with one verdict line ({@code VERIFIED} / {@code NOT VERIFIED}),
 * also when it stops on an error: {@link ErrorReporter} prints {@link #FAILED} after the error line.
 */
interface Verdict {

    /** The verdict line of a failed verification. */
    String FAILED = "NOT VERIFIED";

    /** The verdict line of a passed verification. */
    String PASSED = "VERIFIED";
}
