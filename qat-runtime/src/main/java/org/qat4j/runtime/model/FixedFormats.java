package org.qat4j.runtime.model;

import org.qat4j.runtime.fixed.FixedFormat;

/**
 * Fixed-point formats {@code (k, i, f)} of a tensor (HGQ, arXiv 2405.00645 §3): one format per
 * tensor, per channel, or per element, stored as three parallel int arrays of the same length. A
 * value with format {@code (k, i, f)} is {@code m · 2^-f} with integer mantissa {@code m}; a format of
 * width {@code k + i + f ≤ 0} is pruned and always 0.
 */
public final class FixedFormats {
    private final int[] k;
    private final int[] i;
    private final int[] f;

    private FixedFormats(int[] k, int[] i, int[] f) {
        this.k = k;
        this.i = i;
        this.f = f;
    }

    /**
     * Builds formats from parallel arrays (copied).
     *
     * @throws ModelFormatException if lengths differ, k is not 0/1, or |i|, |f| exceed 62, or a width exceeds 62
     */
    public static FixedFormats of(int[] k, int[] i, int[] f, String field) {
        if (k.length == 0 || k.length != i.length || k.length != f.length) {
            throw new ModelFormatException(field + ": k, i, f must have the same positive length, got " + k.length
                    + ", " + i.length + ", " + f.length);
        }
        for (int e = 0; e < k.length; e++) {
            if (k[e] != 0 && k[e] != 1) {
                throw new ModelFormatException(field + ".k[" + e + "] = " + k[e] + ": must be 0 or 1");
            }
            if (Math.abs(i[e]) > 62 || Math.abs(f[e]) > 62 || k[e] + i[e] + f[e] > 62) {
                throw new ModelFormatException(field + "[" + e + "] = (" + k[e] + ", " + i[e] + ", " + f[e]
                        + "): integer and fraction bits must lie in [-62, 62] and the width must not exceed 62");
            }
        }
        return new FixedFormats(k.clone(), i.clone(), f.clone());
    }

    /** One format for the whole tensor. */
    public static FixedFormats uniform(FixedFormat fmt) {
        return of(new int[] {fmt.k()}, new int[] {fmt.i()}, new int[] {fmt.f()}, "format");
    }

    /** Number of stored formats (1, channels or elements). */
    public int length() {
        return k.length;
    }

    /** Format number {@code idx}. */
    public FixedFormat get(int idx) {
        return new FixedFormat(k[idx], i[idx], f[idx]);
    }

    /** Sign bits (copy). */
    public int[] k() {
        return k.clone();
    }

    /** Integer bits (copy). */
    public int[] i() {
        return i.clone();
    }

    /** Fraction bits (copy). */
    public int[] f() {
        return f.clone();
    }

    /**
     * The stored formats as a {@link FormatTensor} over a tensor of the given per-sample shape: one
     * group for length 1, one per channel (axis 0) for the channel count, one per element for the
     * element count.
     */
    public FormatTensor tensor(int[] shape, String field) {
        FixedFormat[] formats = new FixedFormat[k.length];
        for (int e = 0; e < formats.length; e++) {
            formats[e] = new FixedFormat(k[e], i[e], f[e]);
        }
        return FormatTensor.of(FormatTensor.groupShapeOf(k.length, shape, field + ".k"), formats);
    }

    /** One format per element of a tensor of the given per-sample shape. */
    public FixedFormat[] expand(int[] shape, String field) {
        return tensor(shape, field).expand(shape, field);
    }
}
