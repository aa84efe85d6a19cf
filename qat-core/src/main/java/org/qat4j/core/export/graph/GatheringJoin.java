package org.qat4j.core.export.graph;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.ParallelBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.qat4j.core.engine.ParallelBlockJoin;

/**
 * Checks that a {@code ParallelBlock}'s join hands every branch output through, in order, as one
 * NDList, so that the block after it (the join block a {@link JoinHandler} exports) sees exactly the
 * branch results. The exporter cannot read what an arbitrary join function computes; it probes it
 * with distinct arrays and requires the same array objects back.
 */
final class GatheringJoin {
    private GatheringJoin() {}

    static void require(ParallelBlock par, String at) {
        Function<List<NDList>, NDList> join;
        try {
            join = ParallelBlockJoin.of(par);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("block " + at + ": " + e.getMessage(), e);
        }
        int branches = par.getChildren().size();
        try (NDManager m = NDManager.newBaseManager()) {
            List<NDList> probe = new ArrayList<>();
            for (int k = 0; k < branches; k++) {
                probe.add(new NDList(m.create(new float[] {k + 0.5f}, new Shape(1, 1))));
            }
            NDList joined = join.apply(probe);
            boolean gathers = joined != null && joined.size() == branches;
            for (int k = 0; gathers && k < branches; k++) {
                gathers = joined.get(k) == probe.get(k).get(0);
            }
            if (!gathers) {
                throw new IllegalArgumentException(
                        "block " + at + ": the ParallelBlock's join does not hand the branch outputs through in"
                                + " order (it must be e.g. list -> { NDList o = new NDList(); list.forEach(o::addAll); return o; }) so that the"
                                + " following join block sums them");
            }
        }
    }
}
