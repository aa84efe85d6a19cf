package org.qat4j.examples.recipe;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.Map;
import org.qat4j.a2q.export.A2qExporter;
import org.qat4j.hgq.export.HgqExporter;
import org.qat4j.runtime.model.IntegerModel;

/**
 * The exporters the recipes call, in one place: trained HGQ or A2Q/A2Q+ networks to integer models.
 */
final class RecipeExporters {

    private RecipeExporters() {}

    /** Exports an A2Q/A2Q+ network (a SequentialBlock of QIdentity/QReLU/QLinear/QConv and batch flattens). */
    static IntegerModel a2q(Block block, Shape sampleShape) {
        return A2qExporter.export(sequential(block), sampleShape, "qat4j recipe", 0, Map.of());
    }

    /** Exports an HGQ network (call after calibration). */
    static IntegerModel hgq(Block block, Shape sampleShape) {
        return HgqExporter.export(sequential(block), sampleShape, "qat4j recipe", 0, Map.of());
    }

    private static SequentialBlock sequential(Block block) {
        if (!(block instanceof SequentialBlock s)) {
            throw new IllegalArgumentException("the exporters take a SequentialBlock, got " + block.getClass().getName());
        }
        return s;
    }
}
