package org.qat4j.convert;

import ai.djl.nn.Block;
import java.util.List;
import org.qat4j.core.nn.QatPool;

/**
 * One recognised block of the float model, in the order a forward pass visits it (nested sequential
 * blocks flattened): its path, kind, and for a pooling block the geometry read back from it; for a
 * parallel block the branches, each already flattened.
 */
record SourceNode(String path, Block block, SourceKind kind, QatPool pool, List<List<SourceNode>> branches) {

    static SourceNode of(String path, Block block, SourceKind kind) {
        return new SourceNode(path, block, kind, null, List.of());
    }
}
