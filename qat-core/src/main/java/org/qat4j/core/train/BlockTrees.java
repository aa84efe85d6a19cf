package org.qat4j.core.train;

import ai.djl.nn.Block;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/** Walks a DJL block tree. */
public final class BlockTrees {

    private BlockTrees() {}

    /**
     * Returns every block in the tree rooted at {@code root} (root included) that is an instance of
     * {@code type}, in depth-first pre-order, which is the order in which DJL saves parameters.
     */
    public static <T> List<T> find(Block root, Class<T> type) {
        List<T> found = new ArrayList<>();
        collect(root, type, found);
        return found;
    }

    private static <T> void collect(Block block, Class<T> type, List<T> found) {
        if (type.isInstance(block)) {
            found.add(type.cast(block));
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), type, found);
        }
    }
}
