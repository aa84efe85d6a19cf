package org.qat4j.hgq.ebops;

/**
 * Exact EBOPs of one layer (HGQ, arXiv 2405.00645, §5): {@code Σ b_in·b_w} over its scalar
 * multiplications, from the final bits.
 *
 * @param name the layer's path in the block tree
 * @param type the layer's class name
 * @param multiplications scalar multiplications counted
 * @param weights number of kernel weights
 * @param prunedWeights kernel weights quantized to zero (cost 0)
 * @param ebops exact EBOPs
 */
public record LayerEbops(
        String name, String type, long multiplications, long weights, long prunedWeights, long ebops) {}
