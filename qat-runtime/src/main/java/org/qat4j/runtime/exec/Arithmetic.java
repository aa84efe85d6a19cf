package org.qat4j.runtime.exec;

import org.qat4j.runtime.model.RangeAnalysis;

/**
 * The arithmetic a multiply-accumulate layer runs on, the narrowest that is exact for the layer's
 * proven partial-sum interval. {@link RangeAnalysis} bounds every partial sum in ANY order (bias and
 * every subset of products, A2Q arXiv 2308.13504 §3), so each register only ever holds integers of
 * magnitude at most {@code m = max_c max(−partialMin_c, partialMax_c)}:
 * <ul>
 *   <li>{@link #FLOAT32} when {@code m < 2^24}: every integer of magnitude ≤ 2^24 is a float32, so every
 *       product, fused multiply-add and sum is exact whatever the order (the fact QAT training relies on);</li>
 *   <li>{@link #INT32} when every interval fits a signed 32-bit register;</li>
 *   <li>{@link #FLOAT64} when {@code m < 2^53} (the same argument for binary64);</li>
 *   <li>{@link #INT64} when every interval fits the declared width P ≤ 64;</li>
 *   <li>{@link #CHECKED} otherwise: long arithmetic that checks every partial sum against P and throws
 *       {@link AccumulatorOverflowException}.</li>
 * </ul>
 * Ordered narrowest first; any arithmetic after the chosen one is exact as well.
 */
public enum Arithmetic {
    FLOAT32("float32"),
    INT32("int32"),
    FLOAT64("float64"),
    INT64("int64"),
    CHECKED("checked int64");

    private final String label;

    Arithmetic(String label) {
        this.label = label;
    }

    /** Short name printed by the benchmark. */
    public String label() {
        return label;
    }

    /** The narrowest exact arithmetic for an accumulating op's proven intervals. */
    static Arithmetic choose(RangeAnalysis.Accumulator a) {
        if (!a.fitsDeclared()) {
            return CHECKED;
        }
        long m = 0;
        for (int c = 0; c < a.partialMin().length; c++) {
            long lo = a.partialMin()[c];
            long hi = a.partialMax()[c];
            if (lo == Long.MIN_VALUE) {
                return INT64;
            }
            m = Math.max(m, Math.max(-lo, hi));
        }
        if (m < 1L << 24) {
            return FLOAT32;
        }
        if (a.fitsInt()) {
            return INT32;
        }
        return m < 1L << 53 ? FLOAT64 : INT64;
    }
}
