package org.qat4j.onnx;

/** A model that cannot be exported to the requested ONNX form; the message says which op and why. */
public final class OnnxExportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the op and the reason. */
    public OnnxExportException(String message) {
        super(message);
    }
}
