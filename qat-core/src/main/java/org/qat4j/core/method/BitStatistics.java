package org.qat4j.core.method;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Summary of the bit widths of one tensor's elements (HGQ's per-weight / per-activation widths,
 * arXiv 2405.00645 §3): count, min, max, mean, how many are pruned (width ≤ 0), and a histogram
 * width → count.
 *
 * @param count number of elements
 * @param min smallest width
 * @param max largest width
 * @param mean mean width
 * @param pruned elements of width ≤ 0 (always zero)
 * @param histogram width → number of elements
 */
public record BitStatistics(
        long count, int min, int max, double mean, long pruned, SortedMap<Integer, Long> histogram) {

    /** Copies the histogram. */
    public BitStatistics {
        histogram = histogram == null ? new TreeMap<>() : new TreeMap<>(histogram);
    }

    /** Statistics of the given widths (one per element). */
    public static BitStatistics of(int[] widths) {
        if (widths.length == 0) {
            throw new IllegalArgumentException("no widths given");
        }
        TreeMap<Integer, Long> histogram = new TreeMap<>();
        long sum = 0;
        long pruned = 0;
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int w : widths) {
            histogram.merge(w, 1L, Long::sum);
            sum += w;
            min = Math.min(min, w);
            max = Math.max(max, w);
            if (w <= 0) {
                pruned++;
            }
        }
        return new BitStatistics(widths.length, min, max, (double) sum / widths.length, pruned, histogram);
    }

    /** Statistics of a uniform width over {@code count} elements. */
    public static BitStatistics uniform(int width, long count) {
        return new BitStatistics(
                count, width, width, width, width <= 0 ? count : 0, new TreeMap<>(Map.of(width, count)));
    }
}
