package org.qat4j.core.fixed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.qat4j.core.memory.NativeArrays;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * HGQ's training quantizer without overflow handling (arXiv 2405.00645, Section 4.1, integer bits taken
 * from data), computed on the engine in x's own type: no host transfer, no float64, a handful of
 * allocations, and four recorded operations.
 *
 * <p>Graph: with {@code q = R(x 2^f) 2^-f} and {@code d = q - x} computed without gradient,
 * <pre>
 *   out = ((c * (ft - stopgrad(ft))) * d + x - stopgrad(x)) + q,     c = -ln2 * s
 * </pre>
 * Forward: {@code ft - stopgrad(ft)} is +0 or -0 for finite bits, so the first product is a signed zero,
 * {@code (zero + x) - x} is +0 for finite x, and the sum is exactly q (a zero q as +0.0) — the value of the
 * exact quantizer, bit for bit. Backward: {@code dout/dx = 1}, {@code dout/dft = c * d = -ln2 * s * (q - x)}
 * (summed over broadcast axes), with d rounded once to x's type.
 */
final class UnboundedTrainingKernel {

    private static final double LN2 = Math.log(2.0);

    private UnboundedTrainingKernel() {
    }

    static TrainingQuantization fakeQuantize(NDArray x, NDArray fInteger, NDArray fTrainable, RoundingMode rounding,
            double gradientScale, boolean keepMantissa) {
        NDManager owner = x.getManager();
        try (NDManager scope = owner.newSubManager()) {
            scope.tempAttachAll(distinct(x, fInteger, fTrainable));
            NDArray xd = x.stopGradient();
            NDArray twoToF;
            try (NDArray two = NativeArrays.scalar(scope, x.getDataType() == DataType.FLOAT64 ? (Number) 2.0 : 2f)) {
                twoToF = two.pow(fInteger.toType(x.getDataType(), false));
            }
            NDArray y = xd.mul(twoToF);
            NDArray m = round(y, xd, rounding);
            NDArray q = keepMantissa ? m.div(twoToF) : m.divi(twoToF);
            // d = q - x in y's storage, which rounding no longer needs: (0 * y + q) - x, a signed zero plus q
            NDArray d = y.muli(0f).addi(q).subi(xd);
            NDArray out;
            if (fTrainable != null) {
                // the coefficient -ln2 * s * d goes into d itself: one recorded multiply carries the f gradient
                double c = -LN2 * gradientScale;
                d = d.muli(NativeArrays.scalar(scope, d.getDataType() == DataType.FLOAT64 ? (Number) c : (Number) (float) c));
                NDArray zero = fTrainable.sub(fTrainable.stopGradient());
                // same shape (per-element bits): multiply in place, one weight-sized array fewer
                out = zero.getShape().equals(d.getShape()) ? zero.muli(d) : zero.mul(d);
                out = out.addi(x).subi(xd).addi(q);
            } else {
                out = x.sub(xd).addi(q);
            }
            out.attach(owner);
            if (keepMantissa) {
                m.attach(owner);
                return new TrainingQuantization(out, m);
            }
            return new TrainingQuantization(out, null);
        }
    }

    /** R(y); y is consumed. TRN keeps negative values that underflowed to -0.0 below zero. */
    private static NDArray round(NDArray y, NDArray x, RoundingMode rounding) {
        if (rounding == RoundingMode.RND) {
            return ScaledRounding.halfUpConsuming(y);
        }
        NDArray m = ScaledRounding.exactly(y, rounding);
        if (rounding == RoundingMode.TRN) {
            // x * 2^f can underflow to -0.0 for a tiny negative x (f < 0): its floor is -1, not 0
            m = m.subi(y.eq(0).logicalAnd(x.lt(0)).toType(m.getDataType(), false));
        }
        return m;
    }

    private static NDArray[] distinct(NDArray... arrays) {
        java.util.Set<NDArray> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.List<NDArray> out = new java.util.ArrayList<>();
        for (NDArray a : arrays) {
            if (a != null && seen.add(a)) {
                out.add(a);
            }
        }
        return out.toArray(new NDArray[0]);
    }
}
