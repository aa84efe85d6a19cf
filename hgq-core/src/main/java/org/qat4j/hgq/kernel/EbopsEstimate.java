package org.qat4j.hgq.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.qat4j.core.engine.NativeArrays;

/**
 * The differentiable EBOPs estimate of one layer (HGQ, arXiv 2405.00645, §5, eq. 10):
 * {@code EBOPs = Σ_o Σ_j b_in[j]·b_w[o, j]} over every weight (o output, j input channel, taps
 * included), with {@code b_w} the significant bits of the quantized weights.
 *
 * <p>Gradients (the surrogate of §5): {@code ∂/∂b_in[j] = Σ_o b_w[o, j]} and
 * {@code ∂/∂f_w[o, j] = s·b_in[j]·[b_w[o, j] > 0]} (a weight's bit count follows its fractional bits; a
 * pruned weight has none; s scales the gradient of shared bits). Computed as two reductions: the value
 * {@code Σ_j b_in[j]·S[j]} with {@code S = Σ_o b_w} (no gradient), plus a zero-valued carrier
 * {@code g − stopgrad(g)}, {@code g = f_w · G}, {@code G = s·b_in·[b_w > 0]}, that hands f_w its
 * gradient; no weight-sized tensor is recorded for autograd.
 */
public final class EbopsEstimate {

    private EbopsEstimate() {}

    /**
     * The estimate.
     *
     * @param weightBits {@code b_w ≥ 0} per weight (kernel shape, no gradient); overwritten when the
     *     fractional bits take a gradient
     * @param inputBits {@code b_in} broadcastable to the kernel shape (recorded: its gradient flows)
     * @param fractionalBits the kernel quantizer's trainable fractional bits (bit shape, broadcastable to
     *     the kernel shape), or null when they take no gradient
     * @param gradientScale s
     * @return a scalar, in {@code weightBits}' manager
     */
    public static NDArray of(NDArray weightBits, NDArray inputBits, NDArray fractionalBits, double gradientScale) {
        return lossTerm(weightBits, inputBits, fractionalBits, gradientScale, 1, 0);
    }

    /**
     * {@code β·EBOPs + λ·Σ f_w}: the estimate scaled by β plus the kernel quantizer's bit L1 (eq. 12), with
     * one carrier for both gradients of f_w ({@code β·s·b_in·[b_w > 0] + λ}), so that autograd delivers
     * f_w a single weight-sized gradient from here.
     *
     * @param weightBits as {@link #of}
     * @param inputBits as {@link #of}
     * @param fractionalBits as {@link #of}; required when {@code bitL1 > 0}
     * @param gradientScale s
     * @param beta β ≥ 0
     * @param bitL1 λ ≥ 0
     * @return a scalar, in {@code weightBits}' manager
     */
    public static NDArray lossTerm(
            NDArray weightBits,
            NDArray inputBits,
            NDArray fractionalBits,
            double gradientScale,
            double beta,
            double bitL1) {
        Shape kernel = weightBits.getShape();
        Shape in = inputBits.getShape();
        int[] outerAxes = reducedAxes(in, kernel);
        NDArray perInput = outerAxes.length == 0 ? weightBits : weightBits.sum(outerAxes, true);
        NDArray term = perInput.mul(inputBits).sum();
        if (beta != 1) {
            term = term.mul(NativeArrays.scalar(term.getManager(), (float) beta));
        }
        if (bitL1 != 0) {
            NDArray l1 = fractionalBits.stopGradient().sum().toType(term.getDataType(), false);
            term = term.add(l1.muli((float) bitL1)); // no gradient: a plain scalar operand is safe
        }
        if (fractionalBits == null || !fractionalBits.hasGradient()) {
            return term;
        }
        // [b_w > 0] = sign(b_w) for b_w >= 0, in place: the bits are not needed any more; the coefficient
        // takes no gradient, so plain scalar operands are safe (autograd saves none of them)
        NDArray coefficient = weightBits.signi().muli(inputBits.stopGradient());
        if (gradientScale * beta != 1) {
            coefficient = coefficient.muli((float) (gradientScale * beta));
        }
        int[] sharedAxes = reducedAxes(fractionalBits.getShape(), kernel);
        if (sharedAxes.length > 0) {
            coefficient = coefficient.sum(sharedAxes, true);
        }
        if (bitL1 != 0) {
            coefficient = coefficient.addi((float) bitL1);
        }
        NDArray carrier = fractionalBits.reshape(-1).dot(coefficient.reshape(-1));
        return term.add(carrier.sub(carrier.stopGradient()));
    }

    /** Axes where {@code small} (same rank, or lower and right-aligned) is 1 and {@code full} is not. */
    private static int[] reducedAxes(Shape small, Shape full) {
        int rank = full.dimension();
        int offset = rank - small.dimension();
        java.util.List<Integer> axes = new java.util.ArrayList<>();
        for (int a = 0; a < rank; a++) {
            long s = a < offset ? 1 : small.get(a - offset);
            if (s == 1 && full.get(a) != 1) {
                axes.add(a);
            }
        }
        return axes.stream().mapToInt(Integer::intValue).toArray();
    }
}
