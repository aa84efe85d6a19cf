package org.qat4j.examples.recipe;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.runtime.bound.A2qBounds;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * What a P-bit accumulator leaves an A2Q / A2Q+ layer, told before training. A channel's integer weights
 * must satisfy {@code ‖q‖₁ ≤ T_A2Q(P, N, σ)} (A2Q, arXiv 2308.13504 Eq. 13) or
 * {@code max(Q+, Q−) ≤ T_A2Q+(P, N)/2} (A2Q+, arXiv 2401.10432 Eq. 9). The smallest P at which a layer can
 * hold any non-zero weight is the P of a norm of 1 (Eq. 12); below a budget of one integer step per input
 * (budget &lt; fan-in) most weights must be zero, and a network trained from scratch stays near chance.
 */
public final class A2qCapacity {

    /** Largest P searched for the width that gives one step per input. */
    private static final int MAX_P = 32;

    private A2qCapacity() {}

    /**
     * One line per accumulator-constrained layer of {@code block} (none for other networks), then a warning
     * per layer whose P is below one integer weight step per input. Call after the block is initialized.
     */
    public static List<String> report(Block block) {
        List<String> lines = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int index = 0;
        for (AbstractQLayer layer : BlockTrees.find(block, AbstractQLayer.class)) {
            int position = index++;
            Variant variant = layer.getVariant();
            if (!variant.isConstrained()) {
                continue;
            }
            int n = layer.getInputBits();
            boolean signed = layer.isInputSigned();
            int p = layer.getAccumulatorBits();
            int fanIn = layer.quantizedWeights().intWeights()[0].length;
            int nonZero = minBits(variant, 1, n, signed);
            long budget = budget(variant, p, n, signed);
            int onePerInput = nonZero;
            while (onePerInput < MAX_P && budget(variant, onePerInput, n, signed) < fanIn) {
                onePerInput++;
            }
            String name = "layer " + position + " (" + variant.cliName() + ")";
            lines.add(String.format(
                    "  %s: P=%d, %d-bit %s inputs, fan-in %d: a non-zero weight needs P >= %d; "
                            + "per-channel budget %s <= %d integer steps%s",
                    name,
                    p,
                    n,
                    signed ? "signed" : "unsigned",
                    fanIn,
                    nonZero,
                    variant == Variant.A2Q ? "L1" : "max(Q+, Q-)",
                    budget,
                    budget >= fanIn ? "" : " (fewer than one per input)"));
            // (a P below nonZero is refused when the layer is built)
            if (budget < fanIn) {
                warnings.add(String.format(
                        "warning: --acc-bits %d is close to the smallest P (%d) of %s: %d integer "
                                + "steps for %d inputs; expect accuracy near chance unless started from a trained network "
                                + "(--init-from); P >= %d gives one step per input",
                        p, nonZero, name, budget, fanIn, onePerInput));
            }
        }
        lines.addAll(warnings);
        return lines;
    }

    private static int minBits(Variant variant, long norm, int n, boolean signed) {
        return variant == Variant.A2Q
                ? A2qBounds.minAccumulatorBitsA2q(norm, n, signed)
                : A2qBounds.minAccumulatorBitsA2qPlus(norm, 0, n);
    }

    private static long budget(Variant variant, int p, int n, boolean signed) {
        return variant == Variant.A2Q ? A2qBounds.maxL1A2q(p, n, signed) : A2qBounds.maxHalfSumA2qPlus(p, n);
    }
}
