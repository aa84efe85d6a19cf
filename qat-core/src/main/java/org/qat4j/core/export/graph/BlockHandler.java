package org.qat4j.core.export.graph;

/**
 * Exports one block kind: appends the block's integer ops to the model under construction and
 * returns the tensor the block produces (HGQ2's tracer registers one such function per layer type).
 *
 * @param <S> the method's tensor state ({@link ExportTensor#state()})
 * @param <B> the block kind (a DJL {@code Block} class or an interface blocks implement)
 */
@FunctionalInterface
public interface BlockHandler<S, B> {

    /**
     * @param step where the block stands: op names, position for messages, the model under construction
     * @param block the block
     * @param in the tensor the block reads
     * @return the tensor the block writes
     * @throws IllegalArgumentException naming {@link ExportStep#at()} when the block cannot be exported
     */
    ExportTensor<S> export(ExportStep<S> step, B block, ExportTensor<S> in);
}
