package org.qat4j.a2q.kernel;

import ai.djl.ndarray.NDArray;
import org.qat4j.core.engine.NativeArrays;
import org.qat4j.core.engine.NoGradScope;

/**
 * Fake quantization of an activation tensor to an integer grid with one learned per-tensor step s and LSQ's
 * straight-through gradients (Esser et al., arXiv 1902.08153, Eq. 3, without the gradient-scale factor; the
 * activation format of A2Q, arXiv 2308.13504, Sec. 5):
 *
 * <pre>
 *   r   = round_half_even(x / s),   q = clamp(r, lo, hi),   m = [lo &lt; r ≤ hi]
 *   out = q · s                                  (float32: one division, one rounding, one product)
 *   ∂out/∂x = m                                  ∂out/∂s = q − m · x / s
 * </pre>
 *
 * <p>Why not the plain autograd chain {@code clamp(x/s + (round(x/s) − x/s).detach()) · s}: it records about ten
 * full-size ops per call, and their backward allocates as many full-size temporaries again, which dominates a
 * training step of a small CNN. Here the values are computed once without recording, and autograd sees three ops:
 *
 * <pre>
 *   t   = x · m                                   recorded: ∂/∂x = m
 *   K   = q·s − t                                 not recorded
 *   out = t + K · (s / detach(s))                 recorded; s / detach(s) is exactly 1, ∂/∂s = Σ grad · K / s
 * </pre>
 *
 * <p>The value is bit for bit {@code q·s}: where m = 1 and q ≠ 0, x and q·s lie within a factor of 2 of each
 * other (|x/s| &gt; 1/2 and |q| ≥ 1 round from it), so {@code q·s − x} is exact (Sterbenz) and so is
 * {@code x + (q·s − x)}; where q = 0 both sides are +0; where m = 0, t = ±0, {@code K = q·s − t} is q·s (or +0)
 * and {@code t + K} is q·s (or +0). {@code K/s = q − m·x/s} is the gradient of the chain above up to float
 * rounding, and {@code ∂out/∂x} equals the chain's mask: the chain's ReLU-form clamp passes gradients exactly where
 * {@code lo < r ≤ hi}.
 */
public final class ActivationFakeQuantization {

    private ActivationFakeQuantization() {}

    /**
     * {@code clamp(round(x / s), lo, hi) · s} with the gradients above; the result lives in x's manager.
     *
     * @param x the activations (float32)
     * @param s the effective step, shape [1] or scalar, positive
     * @param lo the smallest integer (0 for unsigned)
     * @param hi the largest integer
     * @param learnedScale whether s receives a gradient (false skips the op that routes it)
     * @return the fake-quantized activations
     */
    public static NDArray fakeQuantize(NDArray x, NDArray s, float lo, float hi, boolean learnedScale) {
        boolean record = AutogradState.isRecording();
        NDArray qs;
        NDArray mask = null;
        try (NoGradScope ignored = NoGradScope.open()) {
            // no clip(Number, Number) and no where(): on a 1.2M-element CPU tensor each measured 10-40 times a
            // plain element-wise op
            NDArray xd = x.stopGradient();
            NDArray sd = s.stopGradient();
            NDArray loArray = NativeArrays.fullLike(x, lo);
            NDArray hiArray = NativeArrays.fullLike(x, hi);
            NDArray y = xd.div(sd);
            NDArray r = y.round();
            y.close();
            NDArray atLeastLo = r.maximum(loArray);
            r.close();
            qs = atLeastLo.minimum(hiArray);
            if (record) {
                // m = [r > lo] − [r > hi] from the integer-valued a = max(r, lo): sign(a − lo) − sign(a − q),
                // all float; bool compares and their conversion cost more and fragment the allocator's large
                // blocks. Temporaries are closed or reused at once: fewer live full-size blocks per step.
                mask = lo == 0f ? atLeastLo.sign() : atLeastLo.sub(loArray).signi();
                mask.subi(atLeastLo.subi(qs).signi());
            }
            atLeastLo.close();
            qs.muli(sd);
        }
        if (!record) {
            try (NoGradScope ignored = NoGradScope.open()) {
                return qs.addi(0f); // round(−0.3) is −0; the recorded path (and the chain before it) gives +0
            }
        }
        NDArray t = x.mul(mask);
        try (NoGradScope ignored = NoGradScope.open();
                NDArray td = t.stopGradient()) {
            qs.subi(td);
        }
        if (!learnedScale) {
            return t.addi(qs);
        }
        // close full-size temporaries as soon as possible: autograd keeps what it saved (m, K), and the large
        // blocks return to the allocator for the next layer instead of waiting for the end of the forward
        try (NDArray ratio = s.div(s.stopGradient());
                NDArray k = qs.mul(ratio)) {
            return t.addi(k);
        }
    }
}
