package org.qat4j.convert;

import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;

/**
 * One dense or convolution layer of the float model and the quantized block that replaced it.
 *
 * @param path the float layer's path in the tree
 * @param source the float layer (Linear, Conv1d, Conv2d)
 * @param batchNorm the BatchNorm folded into it, or null
 * @param twin the quantized layer (an HGQ {@code AbstractHgqLayer} or an A2Q {@code AbstractQLayer})
 */
public record ConvertedLayer(String path, Block source, BatchNorm batchNorm, Block twin) {

    @Override
    public String toString() {
        return path + " (" + source.getClass().getSimpleName() + (batchNorm == null ? "" : " + BatchNorm") + ") -> "
                + twin.getClass().getSimpleName();
    }
}
