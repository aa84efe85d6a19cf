package org.qat4j.runtime.fixed;

import java.util.Arrays;

/**
 * SPARQ's dynamic window (Shomron et al., "Post-Training Sparsity-Aware Quantization", arXiv 2105.11010 §3):
 * an unsigned N-bit activation {@code x} is served by an n-bit multiplier through a window of n bits at one of
 * the allowed shifts (placements). bSPARQ picks the lowest allowed shift {@code s} whose window
 * {@code [s, s + n − 1]} holds the leading one of {@code x} and keeps
 * <pre>
 *   t(x) = w · 2^s,   w = ⌊x / 2^s⌋                                 (truncation)
 *   t(x) = min(⌊x / 2^s⌋ + b, 2^n − 1) · 2^s,   b = bit s − 1 of x  (rounding: half up, saturating in the window)
 * </pre>
 * with {@code t(0) = 0}. For 8-bit values and 4-bit windows the paper's placements are {0,1,2,3,4} (5opt),
 * {0,2,4} (3opt) and {0,4} (2opt). vSPARQ pairs activations: when one of a pair is zero the other keeps all N bits
 * (it gets both n-bit halves of the multiplier); otherwise both are trimmed by {@code t}.
 *
 * <p>{@code t} is monotone non-decreasing, which is what makes {@code [t(lo), t(hi)]} the exact range of
 * {@code t} over {@code [lo, hi]}: for equal shifts, floor and the saturating round are monotone; for
 * {@code x1 < x2} with shifts {@code s1 < s2}, {@code t(x1) ≤ (2^n − 1)·2^s1 < 2^(s1 + n) ≤ 2^p2 ≤ t(x2)}, since
 * s2 was chosen because the leading one {@code p2} of x2 lies above the window at s1, and {@code t(x2) ≥ 2^p2} because
 * the window at s2 holds p2: placements start at 0 and step by at most n, so the lowest shift whose window reaches p2
 * does not start above p2.
 * {@code t(x) ≤ (2^n − 1)·2^(N − n) < 2^N}: trimmed values never leave the N-bit range. The exhaustive tests
 * check both over every value for every configuration up to N = 12.
 */
public final class SparqWindow {
    /** Largest supported input width N: the runtime tabulates t over [0, 2^N). */
    public static final int MAX_INPUT_BITS = 16;

    private final int inputBits;
    private final int windowBits;
    private final int[] placements;
    private final boolean rounding;

    /**
     * A window configuration.
     *
     * @param inputBits N, in [2, 16]
     * @param windowBits n, in [1, N − 1]
     * @param placements allowed shifts, strictly increasing from 0 to N − n in steps of at most n (every leading one lies in the
     *     chosen window)
     * @param rounding round half up on the bit below the window (saturating at 2^n − 1) instead of truncating
     */
    public SparqWindow(int inputBits, int windowBits, int[] placements, boolean rounding) {
        String problem = problem(inputBits, windowBits, placements);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.inputBits = inputBits;
        this.windowBits = windowBits;
        this.placements = placements.clone();
        this.rounding = rounding;
    }

    /** Why a configuration is invalid, or null when it is valid. */
    public static String problem(int inputBits, int windowBits, int[] placements) {
        if (inputBits < 2 || inputBits > MAX_INPUT_BITS) {
            return "inputBits = " + inputBits + ": must lie in [2, " + MAX_INPUT_BITS + "]";
        }
        if (windowBits < 1 || windowBits >= inputBits) {
            return "windowBits = " + windowBits + ": must lie in [1, inputBits − 1 = " + (inputBits - 1) + "]";
        }
        if (placements == null || placements.length == 0) {
            return "placements: at least one shift is needed";
        }
        int top = inputBits - windowBits;
        for (int j = 0; j < placements.length; j++) {
            if (placements[j] < 0 || placements[j] > top || (j > 0 && placements[j] <= placements[j - 1])) {
                return "placements = " + Arrays.toString(placements) + ": shifts must increase strictly within [0, "
                        + top + "]";
            }
        }
        if (placements[0] != 0) {
            return "placements = " + Arrays.toString(placements)
                    + ": the first shift must be 0, so that small values have a window";
        }
        for (int j = 1; j < placements.length; j++) {
            if (placements[j] - placements[j - 1] > windowBits) {
                return "placements = " + Arrays.toString(placements)
                        + ": consecutive shifts may differ by at most windowBits = " + windowBits
                        + ", so that the chosen window holds the leading one";
            }
        }
        if (placements[placements.length - 1] != top) {
            return "placements = " + Arrays.toString(placements) + ": the last shift must be inputBits − windowBits = "
                    + top + ", so that every leading one has a window";
        }
        return null;
    }

    /** The paper's placements of an n-bit window in N bits with {@code count} options: 5 (every shift), 3 (every other), 2 (ends). */
    public static int[] placements(int inputBits, int windowBits, int count) {
        int top = inputBits - windowBits;
        if (count == top + 1) {
            int[] all = new int[top + 1];
            for (int s = 0; s <= top; s++) {
                all[s] = s;
            }
            return all;
        }
        if (count == 2) {
            return new int[] {0, top};
        }
        if (count == 3 && top % 2 == 0) {
            return new int[] {0, top / 2, top};
        }
        throw new IllegalArgumentException(count + " placements of a " + windowBits + "-bit window in " + inputBits
                + " bits: supported are " + (top + 1) + ", 3 (when " + top + " is even) and 2");
    }

    /** t(x) for {@code 0 ≤ x < 2^N} (see the class comment). */
    public long trim(long x) {
        if (x <= 0) {
            return 0;
        }
        int lead = 63 - Long.numberOfLeadingZeros(x);
        int s = placements[placements.length - 1];
        for (int p : placements) {
            if (p + windowBits - 1 >= lead) {
                s = p;
                break;
            }
        }
        long w = x >>> s;
        if (rounding && s > 0) {
            w = Math.min(w + ((x >>> (s - 1)) & 1), (1L << windowBits) - 1);
        }
        return w << s;
    }

    /** t over {@code [0, 2^N)}, index = x. */
    public long[] table() {
        long[] t = new long[1 << inputBits];
        for (int x = 0; x < t.length; x++) {
            t[x] = trim(x);
        }
        return t;
    }

    /** N. */
    public int inputBits() {
        return inputBits;
    }

    /** n. */
    public int windowBits() {
        return windowBits;
    }

    /** The allowed shifts. */
    public int[] placements() {
        return placements.clone();
    }

    /** Whether the window rounds. */
    public boolean rounding() {
        return rounding;
    }
}
