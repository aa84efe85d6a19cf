package org.qat4j.examples.run;

import java.io.IOException;

/**
 * A run directory that may not be used for the command asked: it is in use by another process, holds a
 * run trained with other settings, or holds a finished run. Thrown before anything in the directory is
 * written, so the run it holds is left exactly as it was.
 */
public final class RunRefusedException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message names the directory, why it is refused and what to do instead */
    public RunRefusedException(String message) {
        super(message);
    }
}
