package org.qat4j.hgq.kernel;

import java.util.function.IntUnaryOperator;

/**
 * Exact EBOPs of one kernel application (HGQ, arXiv 2405.00645 §5): {@code Σ_j b_in[c(j)]·b_w[j]} over
 * the kernel's weights {@code j} in {@code [O, C, taps...]} order, with the input width of the weight's
 * input channel {@code c(j)} (or the one per-tensor width), in exact long arithmetic.
 */
public final class ExactEbops {

    private ExactEbops() {}

    /**
     * @param kernelShape {@code [O, C, taps...]}
     * @param inputWidths one width per input channel, or one for the whole tensor (negative counts as 0)
     * @param significantBits {@code b_w[j]}, the significant bits of weight {@code j}
     * @throws ArithmeticException when the sum overflows a long
     */
    public static long of(long[] kernelShape, int[] inputWidths, IntUnaryOperator significantBits) {
        long channelStride = 1;
        for (int a = 2; a < kernelShape.length; a++) {
            channelStride *= kernelShape[a];
        }
        long size = 1;
        for (long d : kernelShape) {
            size *= d;
        }
        boolean perChannel = inputWidths.length > 1;
        long total = 0;
        for (int j = 0; j < size; j++) {
            int c = (int) ((j / channelStride) % kernelShape[1]);
            int inBits = Math.max(0, inputWidths[perChannel ? c : 0]);
            total = Math.addExact(total, Math.multiplyExact((long) inBits, significantBits.applyAsInt(j)));
        }
        return total;
    }
}
