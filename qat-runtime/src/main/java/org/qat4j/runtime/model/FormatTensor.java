package org.qat4j.runtime.model;

import java.util.Arrays;
import org.qat4j.runtime.fixed.FixedFormat;

/**
 * A tensor of fixed-point formats {@code (k, i, f)}: one format per group of values, the groups laid
 * out in C order over a group shape whose every axis is either 1 (the values along it share a format)
 * or the value tensor's length (one format per index) — HGQ's granularity (arXiv 2405.00645 §3.2: per
 * element, per channel, per tensor). Element {@code e} of a per-sample tensor with index
 * {@code (x_0, …, x_{r−1})} belongs to group {@code g = Σ_a x'_a · Π_{b>a} G_b} with {@code x'_a = 0}
 * where {@code G_a = 1}, else {@code x_a}.
 *
 * <p>It is the one type a format travels in from the quantizer to the runtime: an HGQ quantizer's
 * format view produces it ({@code QuantizerFormats.perSample()}), the exporter writes it into the
 * model file one format per element ({@link #perElement}), and the model reads the stored formats back
 * as one ({@link FixedFormats#tensor}: length 1, C or the element count, channels first) and expands
 * them per element ({@link #expand}). Immutable.
 */
public final class FormatTensor {
    private final int[] groupShape;
    private final FixedFormat[] formats;

    private FormatTensor(int[] groupShape, FixedFormat[] formats) {
        this.groupShape = groupShape;
        this.formats = formats;
    }

    /**
     * @param groupShape per-sample group shape (axes of length 1 share)
     * @param formats one format per group, C order over {@code groupShape}
     * @throws IllegalArgumentException if the counts differ
     */
    public static FormatTensor of(int[] groupShape, FixedFormat[] formats) {
        long groups = 1;
        for (int d : groupShape) {
            if (d < 1) {
                throw new IllegalArgumentException(
                        "group shape " + Arrays.toString(groupShape) + " has an axis of length " + d);
            }
            groups *= d;
        }
        if (groups != formats.length) {
            throw new IllegalArgumentException("group shape " + Arrays.toString(groupShape) + " has " + groups
                    + " groups, but " + formats.length + " formats are given");
        }
        return new FormatTensor(groupShape.clone(), formats.clone());
    }

    /** The per-sample group shape (copy). */
    public int[] groupShape() {
        return groupShape.clone();
    }

    /** The number of groups (formats). */
    public int groups() {
        return formats.length;
    }

    /** The format of group {@code g}. */
    public FixedFormat format(int g) {
        return formats[g];
    }

    /** One format per element of a per-sample tensor of {@code shape}. */
    public FixedFormat[] expand(int[] shape, String field) {
        int[] group = groupIndex(shape, groupShape, field);
        FixedFormat[] out = new FixedFormat[group.length];
        for (int e = 0; e < out.length; e++) {
            out[e] = formats[group[e]];
        }
        return out;
    }

    /** The formats as the model file stores them, one per element of {@code shape}: three parallel arrays. */
    public FixedFormats perElement(int[] shape, String field) {
        FixedFormat[] per = expand(shape, field);
        int[] k = new int[per.length];
        int[] i = new int[per.length];
        int[] f = new int[per.length];
        for (int e = 0; e < per.length; e++) {
            k[e] = per[e].k();
            i[e] = per[e].i();
            f[e] = per[e].f();
        }
        return FixedFormats.of(k, i, f, field);
    }

    /**
     * The group of every element of a C-order tensor of {@code shape} under {@code groupShape} (same rank;
     * every group axis 1 or the tensor's length; a group shape of one group fits every shape).
     *
     * @throws ModelFormatException naming {@code field} if the shapes do not fit
     */
    public static int[] groupIndex(int[] shape, int[] groupShape, String field) {
        int numel = Shapes.numel(shape, field);
        boolean one = Arrays.stream(groupShape).allMatch(d -> d == 1);
        int[] out = new int[numel];
        if (one) {
            return out;
        }
        if (groupShape.length != shape.length) {
            throw new ModelFormatException(field + ": group shape " + Shapes.toString(groupShape)
                    + " does not fit shape " + Shapes.toString(shape));
        }
        for (int a = 0; a < shape.length; a++) {
            if (groupShape[a] != 1 && groupShape[a] != shape[a]) {
                throw new ModelFormatException(field + ": group shape " + Shapes.toString(groupShape)
                        + " does not fit shape " + Shapes.toString(shape) + " (axis " + a + ")");
            }
        }
        int[] idx = new int[shape.length];
        for (int e = 0; e < numel; e++) {
            int g = 0;
            for (int a = 0; a < shape.length; a++) {
                g = g * groupShape[a] + (groupShape[a] == 1 ? 0 : idx[a]);
            }
            out[e] = g;
            for (int a = shape.length - 1; a >= 0; a--) {
                if (++idx[a] < shape[a]) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return out;
    }

    /**
     * The group shape of a per-tensor attribute stored with {@code length} entries (the model file's
     * rule, {@link Granularity#of}): 1 → one group; the element count → one per element; the channel
     * count → one per channel (axis 0).
     */
    public static int[] groupShapeOf(int length, int[] shape, String field) {
        int[] g = new int[shape.length];
        Arrays.fill(g, 1);
        switch (Granularity.of(length, shape, field)) {
            case TENSOR -> {}
            case ELEMENT -> System.arraycopy(shape, 0, g, 0, shape.length);
            case CHANNEL -> g[0] = shape[0];
        }
        return g;
    }

    @Override
    public String toString() {
        return "FormatTensor" + Arrays.toString(groupShape) + " groups=" + formats.length;
    }
}
