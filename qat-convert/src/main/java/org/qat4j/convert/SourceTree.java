package org.qat4j.convert;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.qat4j.core.engine.ParallelBlockJoin;
import org.qat4j.core.nn.QatAdd;
import org.qat4j.core.nn.QatPool;

/**
 * Walks a float DJL block tree in forward order and recognises every block, or refuses the first one it
 * does not know with its path ({@code root/02:SequentialBlock/01:MyBlock}: child index in its parent,
 * then the class; a LambdaBlock also shows its name). Nested {@link SequentialBlock}s are flattened;
 * each branch of a {@link ParallelBlock} is walked on its own. Only the exact DJL classes are accepted
 * (a subclass of {@code Linear} may compute something else).
 */
final class SourceTree {

    private SourceTree() {}

    static List<SourceNode> walk(Block root) {
        List<SourceNode> out = new ArrayList<>();
        walk(root, "root", out);
        return out;
    }

    private static void walk(Block block, String path, List<SourceNode> out) {
        if (block.getClass() == SequentialBlock.class) {
            if (((SequentialBlock) block).isReturnIntermediate()) {
                throw new UnsupportedBlockException(
                        path,
                        "SequentialBlock returns its intermediate outputs"
                                + " (setReturnIntermediate(true)); the twin would return different outputs");
            }
            int i = 0;
            for (Block child : block.getChildren().values()) {
                walk(child, path + "/" + segment(i++, child), out);
            }
            return;
        }
        if (block.getClass() == LambdaBlock.class && DjlBlockProbes.isIdentity((LambdaBlock) block, path)) {
            return; // no twin: a branch of nothing hands its input through
        }
        out.add(recognise(block, path));
    }

    static String segment(int index, Block child) {
        String name = child.getClass().getSimpleName();
        if (child instanceof LambdaBlock lambda) {
            name += "[" + lambda.getName() + "]";
        }
        return String.format("%02d:%s", index, name);
    }

    private static SourceNode recognise(Block block, String path) {
        Class<?> c = block.getClass();
        if (c == Linear.class) {
            return SourceNode.of(path, block, SourceKind.LINEAR);
        }
        if (c == Conv1d.class) {
            return SourceNode.of(path, block, SourceKind.CONV1D);
        }
        if (c == Conv2d.class) {
            return SourceNode.of(path, block, SourceKind.CONV2D);
        }
        if (c == BatchNorm.class) {
            return SourceNode.of(path, block, SourceKind.BATCH_NORM);
        }
        if (c == ParallelBlock.class) {
            List<List<SourceNode>> branches = new ArrayList<>();
            int i = 0;
            for (Block child : block.getChildren().values()) {
                List<SourceNode> branch = new ArrayList<>();
                walk(child, path + "/" + segment(i++, child), branch);
                branches.add(branch);
            }
            return new SourceNode(path, block, SourceKind.PARALLEL, null, branches);
        }
        if (c == QatAdd.class) {
            return SourceNode.of(path, block, SourceKind.ADD);
        }
        if (c == LambdaBlock.class) {
            LambdaBlock lambda = (LambdaBlock) block;
            if (DjlBlockProbes.isRelu(lambda, path)) {
                return SourceNode.of(path, block, SourceKind.RELU);
            }
            if (DjlBlockProbes.isBatchFlatten(lambda, path)) {
                return SourceNode.of(path, block, SourceKind.FLATTEN);
            }
            QatPool pool = DjlBlockProbes.pool(lambda, path);
            if (pool != null) {
                return new SourceNode(path, block, SourceKind.POOL, pool, List.of());
            }
            throw new UnsupportedBlockException(
                    path,
                    "LambdaBlock '" + lambda.getName() + "' is not one the converter"
                            + " knows (supported: Activation.reluBlock(), Blocks.batchFlattenBlock(), Blocks.identityBlock(),"
                            + " Pool.maxPool1d/2dBlock, Pool.avgPool1d/2dBlock)");
        }
        throw new UnsupportedBlockException(
                path,
                "block " + c.getName() + " has no quantized twin (supported: Linear,"
                        + " Conv1d, Conv2d, BatchNorm after them, ReLU, batch flatten, max/avg pooling, SequentialBlock,"
                        + " ParallelBlock, QatAdd)");
    }

    /** The join function of a ParallelBlock ({@link ParallelBlockJoin}: DJL keeps it private). */
    static Function<List<NDList>, NDList> joinOf(ParallelBlock block, String path) {
        try {
            return ParallelBlockJoin.of(block);
        } catch (IllegalStateException e) {
            throw new UnsupportedBlockException(path, e.getMessage());
        }
    }
}
