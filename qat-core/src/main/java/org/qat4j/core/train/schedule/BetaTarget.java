package org.qat4j.core.train.schedule;

/**
 * Something whose resource-regularizer strength β a schedule or controller sets: HGQ's
 * {@code β·EBOPs} term (arXiv 2405.00645, eq. 12) lives in every quantized layer.
 */
public interface BetaTarget {

    /** Sets β (≥ 0, finite). */
    void setBeta(double beta);

    /** The current β. */
    double getBeta();
}
