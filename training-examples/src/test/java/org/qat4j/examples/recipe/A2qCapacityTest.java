package org.qat4j.examples.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Before training, an A2Q/A2Q+ run tells per constrained layer what its accumulator width leaves it. */
class A2qCapacityTest {

    private static List<String> report(String variant, Integer p) {
        Recipe recipe = Recipes.byName("a2q-fashion-cnn");
        RecipePlan plan =
                recipe.plan(new RecipeSettings(recipe.name(), 1, 64, 1e-3f, 0, 42, variant, p, null, null, null));
        try (Model model = Model.newInstance("capacity")) {
            model.setBlock(plan.newBlock());
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
            return A2qCapacity.report(model.getBlock());
        }
    }

    @Test
    void aSixBitAccumulatorIsWarnedAboutWithTheWidthThatWouldDo() {
        List<String> lines = report("a2q+", 6);
        // A2Q+ with 4-bit unsigned inputs: max(Q+, Q-) <= floor((2^5 - 1) / 15) = 2 for 144 and 288 inputs
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(
                lines.get(0)
                        .contains(
                                "layer 1 (a2q+): P=6, 4-bit unsigned inputs, fan-in 144: a non-zero weight "
                                        + "needs P >= 5; per-channel budget max(Q+, Q-) <= 2 integer steps (fewer than one per input)"),
                lines.get(0));
        assertTrue(
                lines.get(2).startsWith("warning: --acc-bits 6 is close to the smallest P (5) of layer 1 (a2q+)")
                        && lines.get(2).endsWith("P >= 13 gives one step per input"),
                lines.get(2));
        assertTrue(
                lines.get(3).contains("layer 2 (a2q+)") && lines.get(3).endsWith("P >= 14 gives one step per input"),
                lines.get(3));
    }

    @Test
    void theDefaultWidthHasRoomAndUnconstrainedNetworksSayNothing() {
        List<String> lines = report("a2q+", 16);
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("warning")), String.join("\n", lines));
        assertEquals(List.of(), report("unconstrained", null));
    }
}
