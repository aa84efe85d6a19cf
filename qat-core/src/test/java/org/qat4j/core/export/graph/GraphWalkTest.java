package org.qat4j.core.export.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qat4j.core.nn.QatAdd;
import org.qat4j.core.nn.QatFlatten;
import org.qat4j.runtime.model.FloatAddOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.ReluOp;

/** The shared walk with a toy method: op names, positions, nesting, forks, and the refusals every exporter inherits. */
class GraphWalkTest {

    /** A block the toy method exports as one {@code relu} (float → float). */
    static final class Tap extends AbstractBlock {
        Tap() {
            super((byte) 1);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return inputs;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    /** Counts the blocks it saw, to show the walk hands every branch the fork's input. */
    private static final List<String> SEEN = new ArrayList<>();

    private static final ExportHandlers<String> TOY = ExportHandlers.<String>builder("TOY")
            .inputState("input")
            .block(Tap.class, (step, tap, in) -> {
                SEEN.add(step.at() + " reads " + in.name());
                step.add(new ReluOp(step.name("_relu"), in.name()));
                return in.with(step.name("_relu"), in.state() + "+" + step.at());
            })
            .join(QatAdd.class, (step, add, in, branches) -> {
                String sum = branches.get(0).name();
                for (int k = 1; k < branches.size(); k++) {
                    step.add(new FloatAddOp(
                            step.name("_add" + k), sum, branches.get(k).name()));
                    sum = step.name("_add" + k);
                }
                return branches.get(0).with(sum, "joined");
            })
            .supported("Tap, QatAdd")
            .build();

    private static NDList gather(List<NDList> branches) {
        NDList out = new NDList();
        branches.forEach(out::addAll);
        return out;
    }

    private static IntegerModel export(Block... blocks) {
        SequentialBlock net = new SequentialBlock();
        for (Block b : blocks) {
            net.add(b);
        }
        return GraphWalk.export(net, new Shape(2, 3), TOY, "walk test", 3, Map.of("k", "v"));
    }

    @Test
    void namesPositionsNestingAndForks() {
        SEEN.clear();
        IntegerModel m = export(
                new Tap(),
                new SequentialBlock().add(new Tap()).add(Blocks.identityBlock()).add(new Tap()),
                new ParallelBlock(
                        GraphWalkTest::gather,
                        List.of(new Tap(), new SequentialBlock().add(new Tap()).add(new Tap()))),
                new QatAdd(),
                new QatFlatten());
        List<String> names = m.ops().stream().map(ModelOp::name).toList();
        assertEquals(
                List.of(
                        "l0_relu",
                        "l1_0_relu",
                        "l1_2_relu",
                        "l2b0_0_relu",
                        "l2b1_0_relu",
                        "l2b1_1_relu",
                        "l2_add1",
                        "l4_flat"),
                names);
        assertEquals(
                List.of(
                        "#0 reads input",
                        "#1/#0 reads l0_relu",
                        "#1/#2 reads l1_0_relu",
                        "#2/branch0/#0 reads l1_2_relu",
                        "#2/branch1/#0 reads l1_2_relu",
                        "#2/branch1/#1 reads l2b1_0_relu"),
                SEEN);
        assertEquals("l2b0_0_relu", m.op("l2_add1").inputs().get(0));
        assertEquals("l2b1_1_relu", m.op("l2_add1").inputs().get(1));
        assertArrayEquals(new int[] {6}, m.tensor("l4_flat").shape());
        assertEquals("TOY", m.provenance().method());
        assertEquals("v", m.provenance().settings().get("k"));
    }

    @Test
    void refusalsNameTheBlockAndItsPosition() {
        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class,
                () -> export(new Tap(), new SequentialBlock().add(new Tap()).add(new QatAdd())));
        assertTrue(
                unknown.getMessage()
                        .startsWith(
                                "block #1/#1 (org.qat4j.core.nn.QatAdd) cannot be exported: supported are Tap, QatAdd"),
                unknown.getMessage());
        IllegalArgumentException noJoin = assertThrows(
                IllegalArgumentException.class,
                () -> export(
                        new Tap(), new ParallelBlock(GraphWalkTest::gather, List.of(new Tap(), new Tap())), new Tap()));
        assertTrue(
                noJoin.getMessage().startsWith("block #1 (ParallelBlock) is not followed by QatAdd"),
                noJoin.getMessage());
        IllegalArgumentException summing = assertThrows(
                IllegalArgumentException.class,
                () -> export(
                        new ParallelBlock(
                                l -> new NDList(
                                        l.get(0).singletonOrThrow().add(l.get(1).singletonOrThrow())),
                                List.of(new Tap(), new Tap())),
                        new QatAdd()));
        assertTrue(
                summing.getMessage().contains("block #0")
                        && summing.getMessage().contains("does not hand the branch outputs"),
                summing.getMessage());
        IllegalArgumentException shapes = assertThrows(
                IllegalArgumentException.class,
                () -> export(
                        new ParallelBlock(GraphWalkTest::gather, List.of(new Tap(), new QatFlatten())), new QatAdd()));
        assertTrue(shapes.getMessage().contains("branch 1 has shape [6], branch 0 has [2, 3]"), shapes.getMessage());
        IllegalArgumentException one = assertThrows(
                IllegalArgumentException.class,
                () -> export(new ParallelBlock(GraphWalkTest::gather, List.of(new Tap())), new QatAdd()));
        assertTrue(one.getMessage().contains("has 1 branch(es); QatAdd needs at least 2"), one.getMessage());
    }
}
