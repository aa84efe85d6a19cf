package org.qat4j.core.train.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BetaControllerTest {

    /** A plant whose cost falls as β rises (cost = 1e3 / sqrt(β)), like EBOPs under the regularizer. */
    @Test
    void steersBetaSoThatTheCostReachesTheTarget() {
        PiecewiseBetaScheduleTest.Target layer = new PiecewiseBetaScheduleTest.Target();
        double[] cost = {0};
        BetaController c = BetaController.builder()
                .setTargets(List.of(layer))
                .setCost(() -> cost[0])
                .setTargetCost(2e5)
                .optInitialBeta(1e-9)
                .build();
        c.beforeEpoch(0);
        assertEquals(1e-9, layer.beta, 1e-21);
        for (int epoch = 0; epoch < 60; epoch++) {
            cost[0] = 1e3 / Math.sqrt(layer.beta);
            c.afterEpoch(epoch, null);
        }
        double finalCost = 1e3 / Math.sqrt(layer.beta);
        assertEquals(2e5, finalCost, 2e5 * 0.02, "cost " + finalCost + " at beta " + layer.beta);
        assertEquals(c.getBeta(), layer.beta, 0);
    }

    @Test
    void betaStaysInItsRange() {
        PiecewiseBetaScheduleTest.Target layer = new PiecewiseBetaScheduleTest.Target();
        BetaController c = BetaController.builder()
                .setTargets(List.of(layer))
                .setCost(() -> 1e12)
                .setTargetCost(1)
                .optBetaRange(1e-8, 1e-3)
                .optInitialBeta(1e-6)
                .build();
        for (int e = 0; e < 50; e++) {
            c.afterEpoch(e, null);
        }
        assertEquals(1e-3, layer.beta, 1e-15);
    }

    @Test
    void invalidSettingsNameTheParameter() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> BetaController.builder()
                        .setTargets(List.of())
                        .setCost(() -> 1)
                        .setTargetCost(-5)
                        .build());
        assertTrue(e.getMessage().contains("targetCost") && e.getMessage().contains("-5"), e.getMessage());
        BetaController c = BetaController.builder()
                .setTargets(List.of())
                .setCost(() -> 1)
                .setTargetCost(5)
                .build();
        e = assertThrows(IllegalArgumentException.class, () -> c.update(Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }
}
