package org.qat4j.examples.recipe;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import org.qat4j.runtime.model.IntegerModel;

/**
 * The exporters the recipes call, in one place: trained HGQ or A2Q/A2Q+ networks to integer models.
 */
final class RecipeExporters {

    private RecipeExporters() {}

    /** Exports an A2Q/A2Q+ network. */
    static IntegerModel a2q(Block block, Shape sampleShape) {
        throw new IllegalStateException("the A2Q exporter (org.qat4j.a2q.export) is not part of this build yet");
    }

    /** Exports an HGQ network. */
    static IntegerModel hgq(Block block, Shape sampleShape) {
        throw new IllegalStateException("the HGQ exporter (org.qat4j.hgq.export) is not part of this build yet");
    }
}
