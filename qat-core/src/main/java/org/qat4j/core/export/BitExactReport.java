package org.qat4j.core.export;

import java.util.List;

/**
 * Outcome of comparing the DJL forward and the integer runtime on the same inputs: how many
 * samples and output elements were compared per input source, how many differ, and the first
 * mismatch in full detail (bit patterns, the input, the runtime's intermediate tensors).
 *
 * @param sources one line per input source: name, samples, mismatching elements
 * @param samples samples compared in total
 * @param elements output elements compared in total
 * @param mismatches output elements whose float32 bit patterns differ
 * @param forwardType data type of the DJL forward (FLOAT32, or FLOAT64 for wide accumulators)
 * @param firstMismatch full description of the first mismatch, or null
 */
public record BitExactReport(
        List<Source> sources, long samples, long elements, long mismatches, String forwardType, String firstMismatch) {

    /** Per-source counts. */
    public record Source(String name, long samples, long mismatches) {}

    /** Both reports in one (same forward type): sources in order, counts summed, the first mismatch of the first that has one. */
    public static BitExactReport concat(BitExactReport a, BitExactReport b) {
        if (!a.forwardType.equals(b.forwardType)) {
            throw new IllegalArgumentException(
                    "reports of different forward types: " + a.forwardType + ", " + b.forwardType);
        }
        List<Source> sources = new java.util.ArrayList<>(a.sources);
        sources.addAll(b.sources);
        return new BitExactReport(
                List.copyOf(sources),
                a.samples + b.samples,
                a.elements + b.elements,
                a.mismatches + b.mismatches,
                a.forwardType,
                a.firstMismatch != null ? a.firstMismatch : b.firstMismatch);
    }

    /** Whether every element agreed bit for bit. */
    public boolean exact() {
        return mismatches == 0;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("bit-exact comparison, DJL forward in " + forwardType + ": " + samples
                + " samples, " + elements + " output elements, " + mismatches + " mismatches\n");
        for (Source s : sources) {
            b.append("  ")
                    .append(s.name())
                    .append(": ")
                    .append(s.samples())
                    .append(" samples, ")
                    .append(s.mismatches())
                    .append(" mismatches\n");
        }
        if (firstMismatch != null) {
            b.append("first mismatch:\n").append(firstMismatch);
        }
        return b.toString();
    }
}
