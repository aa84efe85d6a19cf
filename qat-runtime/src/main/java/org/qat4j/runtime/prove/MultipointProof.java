package org.qat4j.runtime.prove;

import java.util.ArrayList;
import java.util.List;
import org.qat4j.runtime.cert.ChannelCertificate;
import org.qat4j.runtime.cert.LayerCertificate;
import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.model.RangeAnalysis;

/**
 * The certificate entries of a {@code multipoint_dense} op (arXiv 2002.09049): the point rows are a
 * layer {@code name/points} (op {@value #POINTS_OP}, one channel per row, hashed like dense weights with
 * bias 0, inputs the op's input ranges); the combination is the layer {@code name} (one channel per
 * output, hashed over its multipliers then its bias as int64 LE, inputs the point values' ranges).
 */
final class MultipointProof {
    /** The op word of the point rows' certificate entry. */
    static final String POINTS_OP = "multipoint_points";

    private MultipointProof() {}

    static LayerCertificate combination(MultipointDenseOp m, RangeAnalysis ra) {
        RangeAnalysis.Accumulator acc = ra.accumulator(m.name());
        long[][] a = ra.range(m.pointsName());
        int[] start = m.rowStarts();
        long[] mult = m.multipliers();
        long[] bias = m.bias();
        List<ChannelCertificate> list = new ArrayList<>();
        int minimal = 0;
        for (int o = 0; o < m.outFeatures(); o++) {
            int n = start[o + 1] - start[o];
            long[] hashed = new long[n + 1];
            System.arraycopy(mult, start[o], hashed, 0, n);
            hashed[n] = bias[o];
            long pmin = acc.partialMin()[o];
            long pmax = acc.partialMax()[o];
            int signedBits = RangeAnalysis.signedBitsNeeded(pmin, pmax);
            minimal = Math.max(minimal, signedBits);
            list.add(new ChannelCertificate(
                    o,
                    ChannelHash.ofLongs(hashed),
                    pmin,
                    pmax,
                    RangeAnalysis.bitsNeeded(pmin, pmax),
                    signedBits,
                    RangeAnalysis.fitsSigned(pmin, pmax, m.accumulatorBits()),
                    -1,
                    -1,
                    -1));
        }
        return new LayerCertificate(
                m.name(), m.opType(), "derived", m.accumulatorBits(), "element", a[0], a[1], -1, minimal, list);
    }
}
