package org.qat4j.core.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * No leaks: bit arrays held by a long-lived "model" manager receive nothing, results belong to x's
 * manager, and every temporary is closed. Counts are taken with {@code getManagedArrays()}.
 */
class FixedPointOpsMemoryTest {

    private static final int STEPS = 250;

    @Test
    void managedArrayCountsStayFlatOverManySteps() {
        try (NDManager model = NDManager.newBaseManager()) {
            // bits live in the model, as trained parameters do
            NDArray k = model.ones(new Shape(1, 16));
            NDArray i = model.full(new Shape(1, 16), 2f);
            NDArray f = model.full(new Shape(1, 16), 5.3f);
            i.setRequiresGradient(true);
            f.setRequiresGradient(true);
            NDArray longLivedX = model.randomNormal(new Shape(8, 16)).mul(4);
            int modelBefore = model.getManagedArrays().size();
            int[] batchCounts = new int[STEPS];
            int[] modelCounts = new int[STEPS];
            for (int step = 0; step < STEPS; step++) {
                OverflowMode o = OverflowMode.values()[step % 3];
                FakeQuantizeOptions options = FakeQuantizeOptions.builder()
                        .optOverflow(o)
                        .optStochastic(step % 5 == 0)
                        .build();
                try (NDManager batch = model.newSubManager()) {
                    NDArray x = batch.randomNormal(new Shape(8, 16)).mul(4);
                    x.setRequiresGradient(true);
                    int batchBefore = batch.getManagedArrays().size();
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray q = FixedPointOps.fakeQuantize(x, k, i, f, options);
                        assertSame(batch, q.getManager(), "fakeQuantize's result belongs to x's manager");
                        collector.backward(q.sum());
                    }
                    NDArray exact = FixedPointOps.quantize(x, k, i, f, RoundingMode.RND, o);
                    assertSame(batch, exact.getManager(), "quantize's result belongs to x's manager");
                    // q, its sum (and the collector's bookkeeping) and exact: a constant number per step
                    batchCounts[step] = batch.getManagedArrays().size() - batchBefore;
                }
                // x in a long-lived manager: the caller closes the result, nothing else stays
                FixedPointOps.quantize(longLivedX, k, i, f, RoundingMode.RND, o).close();
                modelCounts[step] = model.getManagedArrays().size();
            }
            for (int step = 0; step < STEPS; step++) {
                assertEquals(modelBefore, modelCounts[step], "model manager after step " + step);
                assertEquals(batchCounts[1], batchCounts[step], "arrays left in the batch manager at step " + step);
            }
        }
    }
}
