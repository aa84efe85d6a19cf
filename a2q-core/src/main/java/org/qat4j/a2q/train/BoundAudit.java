package org.qat4j.a2q.train;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.quant.QuantizedWeights;
import org.qat4j.runtime.bound.A2qBounds;
import org.qat4j.runtime.bound.AccumulatorInterval;
import org.qat4j.runtime.bound.ChannelSums;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * Exact audit of every constrained channel of a model: A2Q {@code ‖q_c‖₁ ≤ T_A2Q(P, N, σ)} (arXiv 2308.13504,
 * Eq. 13), A2Q+ {@code Q+ ≤ T/2} and {@code Q− ≤ T/2} (arXiv 2401.10432, Eq. 9), both as exact rationals, plus the
 * order-independent worst-case partial-sum interval fitting a signed P-bit register. The training graph's float32
 * arithmetic is sound up to rounding; this audit is the proof on the integers actually produced.
 */
public final class BoundAudit {

    private BoundAudit() {}

    /** One violated channel. */
    public record Violation(String layer, int channel, ChannelSums sums, AccumulatorInterval interval) {}

    /** The audit's result: channels checked and the violations found. */
    public record Result(long channelsChecked, List<Violation> violations) {
        public boolean ok() {
            return violations.isEmpty();
        }
    }

    /** Audits every A2Q / A2Q+ layer in the block tree. */
    public static Result audit(Block root) {
        long checked = 0;
        List<Violation> bad = new ArrayList<>();
        int index = 0;
        for (AbstractQLayer layer : org.qat4j.core.train.BlockTrees.find(root, AbstractQLayer.class)) {
            if (layer.getVariant().isConstrained()) {
                QuantizedWeights qw = layer.quantizedWeights();
                for (int c = 0; c < qw.channels(); c++) {
                    checked++;
                    if (!channelOk(qw, c)) {
                        bad.add(new Violation(
                                layer.getClass().getSimpleName() + "#" + index,
                                c,
                                qw.sums(c),
                                AccumulatorInterval.worstCase(qw.intWeights()[c], qw.inputBits(), qw.inputSigned())));
                    }
                }
            }
            index++;
        }
        return new Result(checked, List.copyOf(bad));
    }

    /** Exact check of channel c: the variant's bound and the worst-case interval in P bits. */
    public static boolean channelOk(QuantizedWeights qw, int c) {
        ChannelSums s = qw.sums(c);
        boolean bound = qw.variant() == Variant.A2Q
                ? A2qBounds.satisfiesA2q(s.l1(), qw.accumulatorBits(), qw.inputBits(), qw.inputSigned())
                : A2qBounds.satisfiesA2qPlus(s.posSum(), s.negSum(), qw.accumulatorBits(), qw.inputBits());
        AccumulatorInterval iv = AccumulatorInterval.worstCase(qw.intWeights()[c], qw.inputBits(), qw.inputSigned());
        return bound && iv.fitsSigned(qw.accumulatorBits());
    }
}
