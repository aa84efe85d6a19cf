package org.qat4j.hgq.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.qat4j.hgq.kernel.EbopsEstimate;
import org.qat4j.hgq.kernel.ExactEbops;
import org.qat4j.hgq.kernel.ParameterScope;
import org.qat4j.hgq.quant.HgqQuantizer;
import org.qat4j.hgq.quant.IntegerBitsMode;
import org.qat4j.hgq.quant.QuantizedConstant;
import org.qat4j.hgq.quant.QuantizerFormats;

/**
 * What an HGQ layer costs (arXiv 2405.00645 §4–5), kept out of the layer's forward: the loss term
 * {@code β·EBOPs_estimate + λ·Σ bits} (eq. 12), the differentiable EBOPs estimate ({@link EbopsEstimate})
 * and the exact EBOPs from the final bits ({@link ExactEbops}). It holds β and the weight bit lengths the
 * last training forward left for the next loss term.
 */
final class HgqLayerCost {

    private final AbstractHgqLayer layer;
    private double beta;
    private NDArray pendingWeightBits;

    HgqLayerCost(AbstractHgqLayer layer, double beta) {
        this.layer = layer;
        setBeta(beta);
    }

    void setBeta(double beta) {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
        }
        this.beta = beta;
    }

    double beta() {
        return beta;
    }

    /** Keeps the training forward's weight bit lengths for the next loss term (only while β > 0). */
    void afterTrainingForward(NDArray weightBits) {
        pendingWeightBits = weightBits;
    }

    NDArray lossTerm(NDManager manager) {
        HgqQuantizer kernel = layer.getKernelQuantizer();
        // with β > 0 the kernel quantizer's bit L1 rides on the EBOPs term's gradient carrier (one gradient
        // for the per-weight bits instead of two), unless its integer bits are trained too
        boolean merged = beta > 0 && kernel.getConfig().integerBits() == IntegerBitsMode.FROM_DATA;
        NDArray term = null;
        for (HgqQuantizer q : layer.quantizers()) {
            NDArray t = merged && q == kernel ? null : q.bitL1Term(null, manager);
            if (t != null) {
                term = term == null ? t : term.add(t);
            }
        }
        if (beta > 0) {
            NDArray e = ebops(manager, beta, merged ? kernel.getConfig().bitL1() : 0);
            term = term == null ? e : term.add(e);
        }
        pendingWeightBits = null;
        return term == null ? manager.zeros(new Shape()) : term;
    }

    NDArray ebopsEstimate(NDManager manager) {
        return ebops(manager, 1, 0);
    }

    /** {@code β·EBOPs + λ·Σ f_w} ({@link EbopsEstimate#lossTerm}). */
    private NDArray ebops(NDManager manager, double scale, double kernelBitL1) {
        HgqQuantizer kernel = layer.getKernelQuantizer();
        NDArray inBits = layer.getInputQuantizer().activationBitsEstimate(null, manager, true);
        NDArray wBits = pendingWeightBits;
        pendingWeightBits = null; // the estimate consumes it
        if (wBits == null || wBits.isReleased()) {
            wBits = layer.currentWeightBits(manager);
        }
        NDArray fW = kernel.getFractionalBitsParameter().getArray();
        try (ParameterScope ignored = ParameterScope.open(manager, fW)) {
            NDArray estimate = EbopsEstimate.lossTerm(
                    wBits,
                    inBits.reshape(inputBitsAsKernelShape(inBits.getShape())),
                    fW,
                    kernel.gradientScale(),
                    scale,
                    kernelBitL1);
            estimate.attach(manager);
            return estimate;
        }
    }

    /** Reshapes the input bit tensor (1, C or 1, 1...) to broadcast against the kernel (O, C, taps...). */
    private Shape inputBitsAsKernelShape(Shape inBitShape) {
        long[] k = new long[layer.getWeight().getArray().getShape().dimension()];
        Arrays.fill(k, 1);
        k[1] = inBitShape.get(1);
        return new Shape(k);
    }

    long exactEbops() {
        QuantizerFormats in = layer.inputFormats();
        QuantizedConstant k = layer.quantizedKernel();
        boolean perChannelInput = in.bitShape().length > 1 && in.bitShape()[1] > 1;
        int[] widths = new int[perChannelInput ? in.size() : 1];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = in.format(c).width();
        }
        return ExactEbops.of(k.shape(), widths, k::significantBits);
    }
}
