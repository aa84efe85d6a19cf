package org.qat4j.core.fixed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * HGQ's training quantizer without overflow handling (arXiv 2405.00645, Section 4.1, integer bits taken
 * from data), computed on the engine in x's own type: no host transfer, no float64 for float32 x, and five
 * recorded operations of which four run in place. Large arrays reuse the storage of their temporaries
 * (see {@link #REUSE_STORAGE_FROM}).
 *
 * <p>Graph: with {@code fr = round(f)} (half to even), {@code q = R(x 2^fr) 2^-fr} and
 * {@code d = c (q - x)}, {@code c = -ln2 * s}, computed without gradient,
 * <pre>
 *   out = (((f - stopgrad(f)) * d + x) - stopgrad(x)) + q
 * </pre>
 * Forward: {@code f - stopgrad(f)} is +0 for finite bits, so the product is a signed zero,
 * {@code (zero + x) - x} is +0 for finite x, and the sum is exactly q (a zero q as +0.0): the value of the
 * exact quantizer, bit for bit. Backward: {@code dout/dx = 1} and {@code dout/df = d}, summed over the axes
 * the bits are shared on, with {@code q - x} and the product by c each rounded once to x's type.
 */
final class UnboundedTrainingKernel {

    private static final double LN2 = Math.log(2.0);

    private UnboundedTrainingKernel() {}

    /**
     * Arrays of at least this many elements reuse their temporaries' storage through extra in-place passes
     * (a fresh array that size costs page faults where the allocator returns freed memory to the system);
     * smaller ones take the path with fewer operations. Both paths compute the same values.
     */
    static final long REUSE_STORAGE_FROM = 1 << 14;

    static TrainingQuantization fakeQuantize(
            NDArray x, NDArray f, RoundingMode rounding, double gradientScale, boolean keepMantissa) {
        return fakeQuantize(x, f, rounding, gradientScale, keepMantissa, x.size() >= REUSE_STORAGE_FROM);
    }

    static TrainingQuantization fakeQuantize(
            NDArray x,
            NDArray f,
            RoundingMode rounding,
            double gradientScale,
            boolean keepMantissa,
            boolean reuseStorage) {
        NDManager owner = x.getManager();
        DataType type = x.getDataType();
        try (NDManager scope = owner.newSubManager()) {
            scope.tempAttachAll(distinct(x, f));
            NDArray xd = x.stopGradient();
            NDArray fr = f.stopGradient().toType(type, false).round();
            // no gradient flows through 2^f: a Java-backed base is safe here (autograd saves nothing)
            NDArray twoToF = scope.create(scalar(type, 2.0)).pow(fr);
            NDArray y;
            if (reuseStorage && fr.getShape().equals(x.getShape())) {
                // y = x 2^f in the rounded bits' storage (per-element bits): 0 * fr is a signed zero, and adding x
                // to it gives x (a zero x may become +0.0, which rounds alike)
                y = fr.muli(0f).addi(xd).muli(twoToF);
            } else {
                y = xd.mul(twoToF);
            }
            NDArray m = round(y, xd, rounding, reuseStorage);
            NDArray q = keepMantissa ? m.div(twoToF) : m.divi(twoToF);
            // d = q - x; when reusing, in y's storage, which rounding no longer needs: a signed zero plus q, minus x
            NDArray d = reuseStorage ? y.muli(0f).addi(q).subi(xd) : q.sub(xd);
            NDArray out;
            if (f.hasGradient()) {
                d = d.muli(scalar(type, -LN2 * gradientScale));
                NDArray zero = f.sub(f.stopGradient()).toType(type, false);
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

    private static Number scalar(DataType type, double value) {
        return type == DataType.FLOAT64 ? (Number) value : (Number) (float) value;
    }

    /** R(y); y is consumed. TRN keeps negative values that underflowed to -0.0 below zero. */
    private static NDArray round(NDArray y, NDArray x, RoundingMode rounding, boolean reuseStorage) {
        if (rounding == RoundingMode.RND) {
            return reuseStorage ? ScaledRounding.halfUpConsuming(y) : ScaledRounding.halfUp(y);
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
