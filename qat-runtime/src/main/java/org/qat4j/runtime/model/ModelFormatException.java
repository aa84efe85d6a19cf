package org.qat4j.runtime.model;

/**
 * An integer model (or certificate) file, or a model built in memory, that is not valid: unknown
 * version, truncated, arrays that disagree with their declared shapes, absurd sizes, unknown tensor
 * names. The message names the field (a JSON path such as {@code $.ops[3].weights.shape}) and the
 * offending value.
 */
public final class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message names the field and the problem. */
    public ModelFormatException(String message) {
        super(message);
    }

    /** Creates an exception whose message names the field and the problem, with the cause. */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
