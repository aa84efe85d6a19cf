package org.qat4j.hgq.quant;

import java.util.Arrays;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.FormatTensor;

/**
 * The exact inference formats of a quantizer, one (k, i, f) per bit group, for exporters: group g
 * covers the values whose index, with shared axes set to 0, is g in C order of {@code bitShape}.
 *
 * @param bitShape the bit shape (value shape with shared axes set to 1)
 * @param formats one format per group, C order
 * @param rounding rounding of the scaled value
 * @param overflow overflow handling of the mantissa
 */
public record QuantizerFormats(long[] bitShape, FixedFormat[] formats, RoundingMode rounding, OverflowMode overflow) {

    public QuantizerFormats {
        bitShape = bitShape.clone();
        formats = formats.clone();
    }

    @Override
    public long[] bitShape() {
        return bitShape.clone();
    }

    @Override
    public FixedFormat[] formats() {
        return formats.clone();
    }

    /** The format of group g. */
    public FixedFormat format(int g) {
        return formats[g];
    }

    /**
     * An activation quantizer's formats over the per-sample shape, the type the runtime model consumes:
     * the bit shape without its batch axis 0 (which always shares, HGQ arXiv 2405.00645 §3.2).
     *
     * @throws IllegalStateException if axis 0 of the bit shape does not share (a weight quantizer's formats)
     */
    public FormatTensor perSample() {
        if (bitShape.length == 0 || bitShape[0] != 1) {
            throw new IllegalStateException("bit shape " + Arrays.toString(bitShape)
                    + " has no shared batch axis 0: these are not an" + " activation quantizer's formats");
        }
        int[] groups = new int[bitShape.length - 1];
        for (int a = 0; a < groups.length; a++) {
            groups[a] = Math.toIntExact(bitShape[a + 1]);
        }
        return FormatTensor.of(groups, formats);
    }

    /** The number of groups. */
    public int size() {
        return formats.length;
    }

    @Override
    public String toString() {
        return "QuantizerFormats" + Arrays.toString(bitShape) + " " + rounding + "/" + overflow + " groups="
                + formats.length;
    }
}
