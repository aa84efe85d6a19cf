package org.qat4j.runtime.exec;

/**
 * A partial sum left the declared signed accumulator range of a layer at run time. Raised only for
 * layers whose worst case was not proven to fit (the runtime checks every partial sum of those),
 * never silently wrapped.
 */
public final class AccumulatorOverflowException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming layer, sample, channel, value and bits. */
    public AccumulatorOverflowException(String layer, int sample, int channel, long value, int bits) {
        super("accumulator overflow in layer '" + layer + "', sample " + sample + ", output channel " + channel
                + ": partial sum " + value + " does not fit a signed " + bits + "-bit register");
    }
}
