package org.qat4j.core.train;

/**
 * A block that records the range (min/max) of the values it quantizes, from which integer bits are
 * derived. HGQ v1 (arXiv 2405.00645, §4.2) resets the record at the start of every epoch so that
 * stale extremes from early training do not inflate the integer bits.
 */
public interface RangeObserver {

    /** Forgets the recorded range; the next forward pass in training starts a new one. */
    void resetRanges();
}
