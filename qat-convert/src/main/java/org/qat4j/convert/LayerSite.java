package org.qat4j.convert;

/**
 * Where a dense or convolution layer sits in the model being converted, given to an
 * {@link A2qLayerRule} so that it can treat, say, the first and last layers differently.
 *
 * @param path the layer's path in the block tree, e.g. {@code root/02:SequentialBlock/00:Linear}
 * @param index position among the model's dense and convolution layers (0 = first)
 * @param count number of dense and convolution layers in the model
 * @param blockClass simple class name of the float block (Linear, Conv1d, Conv2d)
 */
public record LayerSite(String path, int index, int count, String blockClass) {

    public boolean isFirst() {
        return index == 0;
    }

    public boolean isLast() {
        return index == count - 1;
    }
}
