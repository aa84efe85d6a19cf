package org.qat4j.core.export.graph;

import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;
import org.qat4j.runtime.model.ModelOp;

/**
 * Where a handler's block stands in the walk: the prefix of its op names ({@code l3}, {@code l2_0},
 * {@code l4b1_0}), its position for messages ({@code #3}, {@code #2/#0}, {@code #4/branch1/#0}), its
 * siblings (for handlers that look ahead) and the model under construction.
 *
 * @param <S> the method's tensor state
 */
public final class ExportStep<S> {
    private final GraphWalk<S> walk;
    private final String prefix;
    private final String at;
    private final List<Block> siblings;
    private final int index;

    ExportStep(GraphWalk<S> walk, String prefix, String at, List<Block> siblings, int index) {
        this.walk = walk;
        this.prefix = prefix;
        this.at = at;
        this.siblings = siblings;
        this.index = index;
    }

    /** The op name {@code prefix + suffix}, e.g. {@code l3_acc}. */
    public String name(String suffix) {
        return prefix + suffix;
    }

    /** The block's position for messages, e.g. {@code #3} or {@code #4/branch1/#0}. */
    public String at() {
        return at;
    }

    /** The blocks of the enclosing sequence (unmodifiable), this one at {@link #index()}. */
    public List<Block> siblings() {
        return siblings;
    }

    /** This block's index among {@link #siblings()}. */
    public int index() {
        return index;
    }

    /** Appends an op to the model. */
    public void add(ModelOp op) {
        walk.builder().addOp(op);
    }

    /** The per-sample shape of a tensor already in the model (inferred by the model's own rules). */
    public int[] shapeOf(String tensor) {
        return walk.builder().setOutput(tensor).build().tensor(tensor).shape();
    }

    /** The exact range {@code [min[], max[]]} per element of an INT tensor already in the model. */
    public long[][] range(String tensor) {
        return org.qat4j.runtime.model.RangeAnalysis.of(
                        walk.builder().setOutput(tensor).build())
                .range(tensor);
    }

    /** The provenance settings of the export (mutable; e.g. a layer's P, M, N). */
    public Map<String, String> settings() {
        return walk.settings();
    }

    /** Sets the provenance method name, e.g. {@code A2Q+} once a layer trains under A2Q+. */
    public void method(String method) {
        walk.method(method);
    }
}
