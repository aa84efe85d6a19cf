package org.qat4j.hgq.export;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.qat4j.core.export.graph.ExportStep;
import org.qat4j.core.export.graph.ExportTensor;
import org.qat4j.core.export.graph.JoinHandler;
import org.qat4j.hgq.quant.HgqQuantizer;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.AddOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.RequantizeFixedOp;

/**
 * A residual join of fixed-point branches ({@code HAdd}, {@code QatAdd}): the branch results are
 * aligned to the finest fraction per element, {@code F_e = max_b f_{b,e}}, by {@code requantize_fixed}
 * ops that only shift left into formats holding every value of the branch (exact: no rounding, no
 * saturation), then summed by {@code add} ops, exactly the real sum the block computes (HGQ arXiv
 * 2405.00645 §3: sums of fixed-point values are exact on the finest grid); HAdd's output quantizer, if
 * any, requantizes the sum.
 */
final class HgqResidualJoin<B> implements JoinHandler<int[], B> {
    private final Function<B, HgqQuantizer> outputQuantizer;

    /** @param outputQuantizer the join block's output quantizer, or null for none */
    HgqResidualJoin(Function<B, HgqQuantizer> outputQuantizer) {
        this.outputQuantizer = outputQuantizer;
    }

    @Override
    public void checkFork(ExportStep<int[]> step, ExportTensor<int[]> in) {
        if (in.state() == null) {
            throw new IllegalArgumentException("block " + step.at()
                    + " (ParallelBlock) branches from a float tensor; quantize first" + " (HQuantize)");
        }
    }

    @Override
    public ExportTensor<int[]> join(
            ExportStep<int[]> step, B block, ExportTensor<int[]> in, List<ExportTensor<int[]>> results) {
        String at = step.at();
        for (int k = 0; k < results.size(); k++) {
            if (results.get(k).state() == null) {
                throw new IllegalArgumentException(
                        "block " + at + ": branch " + k + " ends in a float tensor; HAdd sums quantized values");
            }
        }
        int numel = results.get(0).state().length;
        int[] fine = new int[numel];
        Arrays.fill(fine, Integer.MIN_VALUE);
        for (ExportTensor<int[]> c : results) {
            int[] f = c.state();
            for (int e = 0; e < numel; e++) {
                fine[e] = Math.max(fine[e], f[e]);
            }
        }
        String sum = null;
        for (int k = 0; k < results.size(); k++) {
            String aligned = align(step, results.get(k), fine, step.name("b" + k + "_align"), at);
            if (sum == null) {
                sum = aligned;
            } else {
                String name = step.name("_add" + k);
                step.add(new AddOp(name, sum, aligned, 64));
                sum = name;
            }
        }
        ExportTensor<int[]> cur = new ExportTensor<>(sum, results.get(0).shape(), fine);
        HgqQuantizer oq = outputQuantizer.apply(block);
        if (oq != null) {
            cur = HgqFormatStep.quantize(step, cur, step.name("_quant"), oq);
        }
        return cur;
    }

    /** Shifts a branch result left onto the fractions {@code to}; returns the name of the aligned tensor. */
    private static String align(ExportStep<int[]> step, ExportTensor<int[]> c, int[] to, String name, String at) {
        int[] from = c.state();
        if (Arrays.equals(from, to)) {
            return c.name();
        }
        long[][] range = step.range(c.name());
        int n = to.length;
        int[] k = new int[n];
        int[] i = new int[n];
        for (int e = 0; e < n; e++) {
            int shift = to[e] - from[e];
            BigInteger hi = BigInteger.valueOf(range[1][e]).shiftLeft(shift);
            BigInteger lo = BigInteger.valueOf(range[0][e]).shiftLeft(shift);
            // magnitude bits T with -2^T <= lo and hi <= 2^T - 1
            int t = Math.max(
                    hi.max(BigInteger.ZERO).bitLength(),
                    lo.signum() < 0 ? lo.negate().subtract(BigInteger.ONE).bitLength() : 0);
            if (t > 62) {
                throw new IllegalArgumentException("block " + at + ": aligning element " + e + " (range [" + range[0][e]
                        + ", " + range[1][e] + "] at fraction " + from[e] + ") to fraction " + to[e] + " needs " + t
                        + " magnitude bits, more than 62");
            }
            k[e] = lo.signum() < 0 ? 1 : 0;
            i[e] = t - to[e];
        }
        step.add(new RequantizeFixedOp(
                name, c.name(), from, FixedFormats.of(k, i, to.clone(), name), RoundingMode.RND, OverflowMode.SAT));
        return name;
    }
}
