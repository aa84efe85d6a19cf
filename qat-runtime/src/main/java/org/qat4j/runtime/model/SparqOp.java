package org.qat4j.runtime.model;

import java.util.List;
import java.util.Objects;
import org.qat4j.runtime.fixed.SparqWindow;

/**
 * {@code sparq}: what the multipliers of the next dense/conv op see of unsigned N-bit activations under SPARQ
 * (arXiv 2105.11010 §3): an n-bit window at the lowest allowed placement holding the leading one (bSPARQ,
 * {@link SparqWindow#trim}), and, with {@code pairs}, vSPARQ's pairing along axis 0: elements {@code (2c, 2c+1)} at
 * the same position of the other axes (features of a vector, channels of a feature map) form a pair; when either
 * is zero both pass unchanged (the non-zero one keeps all N bits), otherwise both are trimmed. An unpaired last
 * element (odd axis 0) passes unchanged with {@code pairs}, is trimmed without. Trimmed values stay on the input's
 * grid, so the dot product that follows is the SPARQ dot product, exact.
 *
 * <p>The input must provably lie in {@code [0, 2^N − 1]}: {@link RangeAnalysis} refuses a model where it does not.
 *
 * @param name output tensor (same shape as the input)
 * @param input integer tensor with unsigned N-bit values
 * @param inputBits N, in [2, 16]
 * @param windowBits n, in [1, N − 1]
 * @param placements allowed window shifts, strictly increasing from 0 to N − n in steps of at most n
 * @param rounding round half up on the bit below the window, saturating at 2^n − 1 (else truncate)
 * @param pairs vSPARQ pairing on
 */
public record SparqOp(
        String name, String input, int inputBits, int windowBits, int[] placements, boolean rounding, boolean pairs)
        implements ModelOp {

    /** Validates the window configuration (copies the placements). */
    public SparqOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        String problem = SparqWindow.problem(inputBits, windowBits, placements);
        if (problem != null) {
            throw new ModelFormatException(name + "." + problem);
        }
        placements = placements.clone();
    }

    @Override
    public int[] placements() {
        return placements.clone();
    }

    /** The window kernel of this op. */
    public SparqWindow window() {
        return new SparqWindow(inputBits, windowBits, placements, rounding);
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public String opType() {
        return "sparq";
    }

    @Override
    public TensorInfo infer(List<TensorInfo> in, String field) {
        ModelOp.requireKind(in.get(0), TensorKind.INT, field, input);
        if (in.get(0).shape().length == 0) {
            throw new ModelFormatException(field + ": input '" + input + "' is a scalar; sparq pairs along axis 0");
        }
        return in.get(0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparqOp s
                && name.equals(s.name)
                && input.equals(s.input)
                && inputBits == s.inputBits
                && windowBits == s.windowBits
                && java.util.Arrays.equals(placements, s.placements)
                && rounding == s.rounding
                && pairs == s.pairs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, input, inputBits, windowBits, java.util.Arrays.hashCode(placements), rounding, pairs);
    }

    @Override
    public String toString() {
        return "SparqOp[" + name + " ← " + input + ", N = " + inputBits + ", n = " + windowBits + ", placements = "
                + java.util.Arrays.toString(placements) + ", rounding = " + rounding + ", pairs = " + pairs + "]";
    }
}
