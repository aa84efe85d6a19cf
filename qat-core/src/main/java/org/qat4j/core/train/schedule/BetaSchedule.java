package org.qat4j.core.train.schedule;

/** β as a function of the epoch (HGQ, arXiv 2405.00645, §4.4: β is ramped during training). */
@FunctionalInterface
public interface BetaSchedule {

    /** β for the given epoch (from 0); finite and ≥ 0. */
    double beta(int epoch);
}
