package org.qat4j.hgq.quant;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.runtime.model.FormatTensor;

/**
 * How a quantizer's bit parameters are shared over its values (HGQ, arXiv 2405.00645, §3.2: per
 * weight, per channel, per tensor, or per activation shared over the batch): the bit shape is the
 * value shape with the shared axes set to 1, and every value belongs to one group. Plain Java.
 */
final class BitGroups {

    private BitGroups() {}

    /** The bit shape for a value shape: weights keep axis 0 as channel axis, activations axis 1. */
    static Shape bitShape(HgqQuantizerConfig config, Shape valueShape) {
        long[] dims = valueShape.getShape();
        long[] bits = new long[dims.length];
        boolean weight = config.role() == QuantizerRole.WEIGHT;
        int channelAxis = weight ? 0 : 1;
        for (int a = 0; a < dims.length; a++) {
            boolean keep;
            switch (config.granularity()) {
                case PER_ELEMENT:
                    keep = weight || a > 0;
                    break;
                case PER_CHANNEL:
                    keep = a == channelAxis;
                    break;
                default:
                    keep = false;
            }
            bits[a] = keep ? dims[a] : 1;
        }
        return new Shape(bits);
    }

    /** How many values share one bit parameter (the batch axis of activations not counted), at least 1. */
    static long sharing(HgqQuantizerConfig config, Shape valueShape, Shape bitShape) {
        long[] dims = valueShape.getShape();
        long values = 1;
        for (int a = config.role() == QuantizerRole.WEIGHT ? 0 : 1; a < dims.length; a++) {
            values *= dims[a];
        }
        return Math.max(1, values / Math.max(1, bitShape.size()));
    }

    /** The axes where the bits are shared (size 1 in the bit shape, larger in the value shape). */
    static int[] sharedAxes(Shape bitShape, Shape valueShape) {
        List<Integer> axes = new ArrayList<>();
        for (int a = 0; a < valueShape.dimension(); a++) {
            if (bitShape.get(a) == 1 && valueShape.get(a) != 1) {
                axes.add(a);
            }
        }
        return axes.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Initial fractional bits of a weight quantizer, per group: {@code f = b0 − floor(log2 max|w|) − 1}
     * (about b0 significant bits for the group's largest weight, HGQ2's default b0 = 8), b0 for an
     * all-zero group, clipped to the configured range.
     */
    static float[] initialWeightBits(HgqQuantizerConfig config, float[] values, long[] valueDims, long[] bitDims) {
        int groups = 1;
        for (long d : bitDims) {
            groups *= (int) d;
        }
        double[] groupMax = new double[groups];
        forEachGroup(
                valueDims,
                bitDims,
                (valueIndex, groupIndex) ->
                        groupMax[groupIndex] = Math.max(groupMax[groupIndex], Math.abs(values[valueIndex])));
        float[] f = new float[groups];
        for (int g = 0; g < f.length; g++) {
            int bits = groupMax[g] > 0
                    ? config.initialSignificantBits() - Math.getExponent(groupMax[g]) - 1
                    : config.initialSignificantBits();
            f[g] = Math.min(Math.max(bits, config.minFractionalBits()), config.maxFractionalBits());
        }
        return f;
    }

    /** Calls {@code action(valueIndex, groupIndex)} for every value of a C-order tensor. */
    static void forEachGroup(long[] valueDims, long[] bitDims, IndexPairConsumer action) {
        int[] group = FormatTensor.groupIndex(ints(valueDims), ints(bitDims), "bit shape");
        for (int v = 0; v < group.length; v++) {
            action.accept(v, group[v]);
        }
    }

    private static int[] ints(long[] dims) {
        int[] out = new int[dims.length];
        for (int a = 0; a < out.length; a++) {
            out[a] = Math.toIntExact(dims[a]);
        }
        return out;
    }

    /** (value index, group index) callback. */
    @FunctionalInterface
    interface IndexPairConsumer {
        void accept(int valueIndex, int groupIndex);
    }
}
