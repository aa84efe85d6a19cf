package org.qat4j.runtime.fixed;

/**
 * What happens to a mantissa outside the range of its format (HGQ, arXiv 2405.00645, Section 3;
 * Xilinx {@code ap_fixed} overflow modes). With {@code B = k + i + f}, {@code hi = 2^(i+f) - 1} and
 * {@code lo = -k * 2^(i+f)}:
 * <ul>
 *   <li>{@link #WRAP}: two's-complement wrap, {@code ((m - lo) mod 2^B) + lo};</li>
 *   <li>{@link #SAT}: clip to {@code [lo, hi]};</li>
 *   <li>{@link #SAT_SYM}: clip to the symmetric range {@code [-k * hi, hi]}.</li>
 * </ul>
 */
public enum OverflowMode {
    WRAP,
    SAT,
    SAT_SYM
}
