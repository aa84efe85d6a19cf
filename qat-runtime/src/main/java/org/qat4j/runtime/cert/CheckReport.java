package org.qat4j.runtime.cert;

import java.util.List;

/**
 * The outcome of {@link CertificateChecker#check}: every problem found (empty when the certificate
 * holds) and one summary row per accumulating layer, recomputed by the checker.
 *
 * @param problems what is wrong, stale, missing or failing
 * @param rows per-layer summary
 * @param weightsChecked number of weights whose contribution the checker recomputed
 */
public record CheckReport(List<Problem> problems, List<Row> rows, long weightsChecked) {

    /** One finding. {@code channel} is −1 when the finding concerns the whole layer or file. */
    public record Problem(Kind kind, String layer, int channel, String message) {
        @Override
        public String toString() {
            return kind + " "
                    + (layer == null
                            ? ""
                            : "layer '" + layer + "'" + (channel >= 0 ? " channel " + channel : "") + ": ")
                    + message;
        }
    }

    /** Problem categories. */
    public enum Kind {
        /** The file is not a certificate of a known version, or a field is malformed. */
        MALFORMED,
        /** A layer or channel of the model is not covered. */
        MISSING,
        /** The certificate speaks about a layer or channel the model does not have. */
        EXTRA,
        /** A weight hash differs: the certificate was made for other weights. */
        STALE,
        /** A stated fact differs from the recomputed one. */
        WRONG,
        /** The recomputed facts break a bound: the accumulator can overflow, or an A2Q bound is violated. */
        FAILS
    }

    /**
     * Per-layer summary recomputed from the model.
     *
     * @param layer op name
     * @param op op type
     * @param method A2Q, A2Q+ or derived
     * @param channels number of channels
     * @param worstMin smallest partial sum over channels
     * @param worstMax largest partial sum over channels
     * @param minimalBits smallest signed width holding every channel
     * @param declaredBits declared width
     * @param holds whether the layer's accumulators fit and its bounds hold
     */
    public record Row(
            String layer,
            String op,
            String method,
            int channels,
            long worstMin,
            long worstMax,
            int minimalBits,
            int declaredBits,
            boolean holds) {}

    /** Whether the certificate holds: no problem at all. */
    public boolean holds() {
        return problems.isEmpty();
    }

    /** A fixed-width text table of the rows, then the problems. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "%-20s %-9s %-8s %8s %22s %22s %6s %6s  %s%n",
                "layer", "op", "method", "channels", "min partial sum", "max partial sum", "bits", "P", "verdict"));
        for (Row r : rows) {
            b.append(String.format(
                    "%-20s %-9s %-8s %8d %22d %22d %6d %6d  %s%n",
                    r.layer(),
                    r.op(),
                    r.method(),
                    r.channels(),
                    r.worstMin(),
                    r.worstMax(),
                    r.minimalBits(),
                    r.declaredBits(),
                    r.holds() ? "holds" : "FAILS"));
        }
        for (Problem p : problems) {
            b.append(p).append('\n');
        }
        return b.toString();
    }
}
