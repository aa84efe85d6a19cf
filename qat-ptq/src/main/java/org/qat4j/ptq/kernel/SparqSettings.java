package org.qat4j.ptq.kernel;

import org.qat4j.runtime.fixed.SparqWindow;

/**
 * SPARQ's settings (arXiv 2105.11010 §3): 8-bit activations served by 4-bit windows at {@code windows} allowed
 * placements (5: every shift, 3: {0, 2, 4}, 2: {0, 4}), optionally rounded, with or without vSPARQ's pairing.
 *
 * @param windows 5, 3 or 2 placements of the 4-bit window in 8 bits
 * @param rounding round half up on the bit below the window (saturating in the window)
 * @param pairs vSPARQ: a zero in an activation pair lets the other keep 8 bits
 */
public record SparqSettings(int windows, boolean rounding, boolean pairs) {
    /** Activation bits N SPARQ serves. */
    public static final int INPUT_BITS = 8;
    /** Window bits n. */
    public static final int WINDOW_BITS = 4;

    /** Validates the window count. */
    public SparqSettings {
        if (windows != 5 && windows != 3 && windows != 2) {
            throw new IllegalArgumentException(
                    "--windows " + windows + ": SPARQ places a 4-bit window in 8 bits at 5, 3 or 2 shifts");
        }
    }

    /** The allowed shifts. */
    public int[] placements() {
        return SparqWindow.placements(INPUT_BITS, WINDOW_BITS, windows);
    }

    /** The window kernel. */
    public SparqWindow window() {
        return new SparqWindow(INPUT_BITS, WINDOW_BITS, placements(), rounding);
    }

    /** A short name, e.g. {@code 3opt round vSPARQ}. */
    public String label() {
        return windows + "opt" + (rounding ? " round" : " trunc") + (pairs ? " vSPARQ" : "");
    }
}
