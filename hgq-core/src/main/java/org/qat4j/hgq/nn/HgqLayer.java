package org.qat4j.hgq.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.qat4j.core.train.LossContributor;
import org.qat4j.core.train.schedule.BetaTarget;

/**
 * A layer with multiplications whose cost HGQ counts (arXiv 2405.00645, §5): EBOPs =
 * {@code Σ b_in·b_w} over every scalar multiplication. Its loss term is
 * {@code β·EBOPs_estimate + λ·Σ bits} (eq. 12).
 */
public interface HgqLayer extends LossContributor, BetaTarget {

    /** Differentiable float estimate of the layer's EBOPs from the current bit parameters. */
    NDArray ebopsEstimate(NDManager manager);

    /**
     * Exact integer EBOPs from the final bits: input widths from the (calibrated) input formats and the
     * significant bits of every quantized weight, in long arithmetic.
     */
    long exactEbops();

    /** Number of scalar multiplications counted (weights × input positions of one kernel application). */
    long multiplications();
}
