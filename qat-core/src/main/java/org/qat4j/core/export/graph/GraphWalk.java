package org.qat4j.core.export.graph;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.core.nn.QatFlatten;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.FlattenOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.LibraryVersion;
import org.qat4j.runtime.model.Provenance;

/**
 * The one graph walk of every exporter: a trained {@link SequentialBlock} becomes an
 * {@link IntegerModel} by handing each block to the {@link BlockHandler} its method registered
 * ({@link ExportHandlers}), in network order. The walk itself handles what is the same for every
 * method: nested {@code SequentialBlock}s (op prefix {@code l2_}, position {@code #2/}), identity
 * blocks (no op), row-major flattening ({@code flatten}: values and their per-element state keep
 * their order) and residual forks — a {@code ParallelBlock} whose join hands the branch outputs
 * through, followed by a join block: every branch is walked from the fork's input (op prefix
 * {@code l4b1_}, position {@code #4/branch1/}) and the join's handler combines the results. At the
 * end the accumulator widths are derived from the interval of every partial sum
 * ({@link AccumulatorWidths#deriveMinimal}).
 *
 * @param <S> the method's tensor state
 */
public final class GraphWalk<S> {
    private final ExportHandlers<S> handlers;
    private final IntegerModel.Builder builder;
    private final Map<String, String> settings;
    private String method;

    private GraphWalk(ExportHandlers<S> handlers, Map<String, String> settings) {
        this.handlers = handlers;
        this.method = handlers.method();
        this.settings = new LinkedHashMap<>(settings);
        this.builder = IntegerModel.builder().setProvenance(Provenance.handBuilt(method));
    }

    /**
     * Exports {@code net}.
     *
     * @param net trained network
     * @param inputShape per-sample input shape (no batch axis)
     * @param handlers the method's handlers
     * @param recipe free text naming the training recipe
     * @param seed training seed
     * @param settings further provenance settings
     */
    public static <S> IntegerModel export(
            SequentialBlock net,
            Shape inputShape,
            ExportHandlers<S> handlers,
            String recipe,
            long seed,
            Map<String, String> settings) {
        int[] shape = new int[inputShape.dimension()];
        for (int a = 0; a < shape.length; a++) {
            shape[a] = Math.toIntExact(inputShape.get(a));
        }
        GraphWalk<S> walk = new GraphWalk<>(handlers, settings);
        walk.builder.setInput("input", shape);
        ExportTensor<S> last =
                walk.sequence(children(net), new ExportTensor<>("input", shape, handlers.inputState()), "l", "");
        ExportTensor<S> out = handlers.output().finish(new ExportStep<>(walk, "", "end", List.of(), 0), last);
        IntegerModel m = walk.builder
                .setOutput(out.name())
                .setProvenance(new Provenance(walk.method, recipe, seed, LibraryVersion.VERSION, walk.settings))
                .build();
        return AccumulatorWidths.deriveMinimal(m);
    }

    IntegerModel.Builder builder() {
        return builder;
    }

    Map<String, String> settings() {
        return settings;
    }

    void method(String name) {
        this.method = name;
    }

    private static List<Block> children(Block block) {
        return List.copyOf(new ArrayList<>(block.getChildren().values()));
    }

    /** Exports sibling blocks in order; op names start with {@code prefix + index}, positions with {@code where + "#" + index}. */
    private ExportTensor<S> sequence(List<Block> children, ExportTensor<S> in, String prefix, String where) {
        ExportTensor<S> cur = in;
        for (int n = 0; n < children.size(); n++) {
            Block child = children.get(n);
            String p = prefix + n;
            String at = where + "#" + n;
            ExportStep<S> step = new ExportStep<>(this, p, at, children, n);
            BlockHandler<S, Object> handler = handlers.handlerFor(child);
            if (handler != null) {
                cur = handler.export(step, child, cur);
            } else if (child instanceof ParallelBlock par) {
                Block next = n + 1 < children.size() ? children.get(n + 1) : null;
                JoinHandler<S, Object> join = handlers.joinFor(next);
                if (join == null) {
                    String joins = handlers.joinNames();
                    throw new IllegalArgumentException(
                            "block " + at + " (ParallelBlock) is not followed by " + joins + "; the integer format"
                                    + " exports parallel branches only as residual sums: ParallelBlock(gather, branches) then "
                                    + joins);
                }
                cur = fork(step, par, join, next, cur);
                n++;
            } else if (child instanceof SequentialBlock inner) {
                cur = sequence(children(inner), cur, p + "_", at + "/");
            } else if (child instanceof QatFlatten
                    || child instanceof LambdaBlock lb && "batchFlatten".equals(lb.getName())) {
                builder.addOp(new FlattenOp(p + "_flat", cur.name()));
                cur = new ExportTensor<>(p + "_flat", new int[] {cur.numel()}, cur.state());
            } else if (!(child instanceof LambdaBlock lb && "identity".equals(lb.getName()))) {
                throw new IllegalArgumentException("block " + at + " ("
                        + child.getClass().getName() + ") cannot be exported: supported are " + handlers.supported());
            }
        }
        return cur;
    }

    /** A residual fork: every branch from the same input, then the join block's handler. */
    private ExportTensor<S> fork(
            ExportStep<S> step, ParallelBlock par, JoinHandler<S, Object> join, Block joinBlock, ExportTensor<S> in) {
        String at = step.at();
        GatheringJoin.require(par, at);
        join.checkFork(step, in);
        List<Block> branches = children(par);
        if (branches.size() < 2) {
            throw new IllegalArgumentException("block " + at + " (ParallelBlock) has " + branches.size()
                    + " branch(es); " + joinBlock.getClass().getSimpleName() + " needs at least 2");
        }
        List<ExportTensor<S>> results = new ArrayList<>();
        for (int k = 0; k < branches.size(); k++) {
            Block branch = branches.get(k);
            List<Block> blocks = branch instanceof SequentialBlock sb ? children(sb) : List.of(branch);
            ExportTensor<S> r = sequence(blocks, in, step.name("b" + k + "_"), at + "/branch" + k + "/");
            if (!results.isEmpty() && !Arrays.equals(r.shape(), results.get(0).shape())) {
                throw new IllegalArgumentException("block " + at + ": branch " + k + " has shape "
                        + Arrays.toString(r.shape())
                        + ", branch 0 has " + Arrays.toString(results.get(0).shape()) + "; "
                        + joinBlock.getClass().getSimpleName()
                        + " needs equal shapes");
            }
            results.add(r);
        }
        return join.join(step, joinBlock, in, List.copyOf(results));
    }
}
