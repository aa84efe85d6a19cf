package org.qat4j.hgq.quant;

import java.util.Arrays;
import org.qat4j.hgq.kernel.HgqBitRules;
import org.qat4j.runtime.fixed.FixedFormat;

/**
 * A quantized constant tensor (kernel or bias) as an integer runtime needs it: element j has the
 * exact value {@code mantissas[j]·2^-fractionalBits[j]}, C order of {@code shape}. Weights carry no
 * overflow: their formats are the tightest that hold each value (HGQ, arXiv 2405.00645, §4.2).
 *
 * @param shape the tensor shape
 * @param mantissas integer mantissas, C order
 * @param fractionalBits per-element fractional bits (the quantizer's {@code rint(f)} broadcast)
 */
public record QuantizedConstant(long[] shape, long[] mantissas, int[] fractionalBits) {

    public QuantizedConstant {
        if (mantissas.length != fractionalBits.length) {
            throw new IllegalArgumentException("mantissas (" + mantissas.length + ") and fractionalBits ("
                    + fractionalBits.length + ") differ in length");
        }
        shape = shape.clone();
        mantissas = mantissas.clone();
        fractionalBits = fractionalBits.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public long[] mantissas() {
        return mantissas.clone();
    }

    @Override
    public int[] fractionalBits() {
        return fractionalBits.clone();
    }

    /** Number of elements. */
    public int size() {
        return mantissas.length;
    }

    /** The exact value of element j. */
    public double value(int j) {
        return Math.scalb((double) mantissas[j], -fractionalBits[j]);
    }

    /** The tightest format of element j (trailing zeros moved into f; (0,0,0) for zero). */
    public FixedFormat format(int j) {
        return HgqBitRules.constantFormat(mantissas[j], fractionalBits[j]);
    }

    /** Significant bits of element j (the EBOPs weight width; 0 for a pruned weight). */
    public int significantBits(int j) {
        return HgqBitRules.significantBits(mantissas[j]);
    }

    /** Number of zero (pruned) elements. */
    public long zeros() {
        return Arrays.stream(mantissas).filter(m -> m == 0).count();
    }

    /**
     * Reads values that lie on their grids back as exact mantissas {@code m = x·2^f}.
     *
     * @param shape the value shape
     * @param values the values, C order
     * @param fractionalBits f per value
     * @return the constant
     * @throws IllegalStateException naming the value and index if a value is not on its grid 2^-f (which
     *     would mean a broken forward)
     */
    public static QuantizedConstant fromGrid(long[] shape, double[] values, int[] fractionalBits) {
        long[] m = new long[values.length];
        for (int j = 0; j < values.length; j++) {
            double scaled = Math.scalb(values[j], fractionalBits[j]);
            if (scaled != Math.rint(scaled) || Math.abs(scaled) >= 0x1p62) {
                throw new IllegalStateException(
                        "value " + values[j] + " at index " + j + " is not on its grid 2^-" + fractionalBits[j]);
            }
            m[j] = (long) scaled;
        }
        return new QuantizedConstant(shape, m, fractionalBits);
    }
}
