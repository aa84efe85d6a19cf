package org.qat4j.core.export.graph;

import java.util.List;

/**
 * Exports the block that joins the branches of a residual fork: a DJL {@code ParallelBlock} whose
 * join function hands the branch outputs through, followed by this block (e.g. HGQ's {@code HAdd},
 * {@code QatAdd}). The walk exports every branch from the fork's input first.
 *
 * @param <S> the method's tensor state
 * @param <B> the join block kind
 */
public interface JoinHandler<S, B> {

    /**
     * Checks the fork's input before the branches are exported (e.g. that it is quantized); by
     * default accepts every input.
     *
     * @throws IllegalArgumentException naming {@link ExportStep#at()}
     */
    default void checkFork(ExportStep<S> step, ExportTensor<S> in) {}

    /**
     * @param step the fork's position (op names of the join are {@code step.name(...)})
     * @param join the join block
     * @param in the fork's input
     * @param branches the branch results, in branch order, all of one shape
     * @return the joined tensor
     */
    ExportTensor<S> join(ExportStep<S> step, B join, ExportTensor<S> in, List<ExportTensor<S>> branches);
}
