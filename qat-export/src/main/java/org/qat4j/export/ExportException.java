package org.qat4j.export;

/**
 * A model, certificate or generated directory that cannot be exported or verified; the message names
 * the file, op or register and the value.
 */
public final class ExportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a message naming what is wrong. */
    public ExportException(String message) {
        super(message);
    }
}
