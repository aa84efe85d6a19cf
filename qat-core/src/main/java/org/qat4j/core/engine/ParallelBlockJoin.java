package org.qat4j.core.engine;

import ai.djl.ndarray.NDList;
import ai.djl.nn.ParallelBlock;
import java.lang.reflect.Field;
import java.util.List;
import java.util.function.Function;

/**
 * The join function of a DJL {@link ParallelBlock}, which DJL 0.36.0 keeps in a private field without
 * an accessor: read here, once, by reflection (the converter copies it into twins, the exporters probe
 * it).
 */
public final class ParallelBlockJoin {
    private ParallelBlockJoin() {}

    /**
     * @return the block's join function
     * @throws IllegalStateException if this DJL version has no readable {@code function} field
     */
    @SuppressWarnings("unchecked")
    public static Function<List<NDList>, NDList> of(ParallelBlock block) {
        try {
            Field f = ParallelBlock.class.getDeclaredField("function");
            f.setAccessible(true);
            return (Function<List<NDList>, NDList>) f.get(block);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read the join function of a ParallelBlock: " + e, e);
        }
    }
}
