package org.qat4j.convert;

/**
 * A block of the float model that the converter cannot turn into a quantized twin. The message names
 * the block's class and its path in the tree ({@code root/02:SequentialBlock/01:MyBlock}), so that no
 * part of a "quantized" model silently stays in float.
 */
public final class UnsupportedBlockException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String path;

    public UnsupportedBlockException(String path, String message) {
        super(path + ": " + message);
        this.path = path;
    }

    /** The path of the refused block. */
    public String getPath() {
        return path;
    }
}
