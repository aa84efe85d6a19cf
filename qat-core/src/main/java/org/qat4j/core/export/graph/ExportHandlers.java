package org.qat4j.core.export.graph;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A method's export handlers: one {@link BlockHandler} per block kind, the {@link JoinHandler}s that
 * close residual forks, and what happens at the network's output. {@link GraphWalk} looks handlers up
 * here in registration order (the first whose kind the block is an instance of wins) and handles
 * {@code SequentialBlock}, {@code ParallelBlock}, {@code QatFlatten}, DJL's {@code batchFlatten} and
 * identity blocks itself unless a handler is registered for them.
 *
 * @param <S> the method's tensor state
 */
public final class ExportHandlers<S> {

    /** What happens after the last block, e.g. dequantizing the output to float32. */
    @FunctionalInterface
    public interface OutputHandler<S> {
        /** @return the model's output tensor */
        ExportTensor<S> finish(ExportStep<S> step, ExportTensor<S> last);
    }

    private record Entry<S, B>(Class<B> kind, BlockHandler<S, B> handler) {}

    private record JoinEntry<S, B>(Class<B> kind, JoinHandler<S, B> handler) {}

    private final String method;
    private final S inputState;
    private final List<Entry<S, ?>> blocks;
    private final List<JoinEntry<S, ?>> joins;
    private final OutputHandler<S> output;
    private final String supported;

    private ExportHandlers(Builder<S> b) {
        this.method = b.method;
        this.inputState = b.inputState;
        this.blocks = List.copyOf(b.blocks);
        this.joins = List.copyOf(b.joins);
        this.output = b.output;
        this.supported = b.supported;
    }

    /** @param method provenance method name, e.g. {@code HGQ} */
    public static <S> Builder<S> builder(String method) {
        return new Builder<>(method);
    }

    String method() {
        return method;
    }

    S inputState() {
        return inputState;
    }

    OutputHandler<S> output() {
        return output;
    }

    String supported() {
        return supported;
    }

    /** The handler of {@code block}'s kind, or null. */
    @SuppressWarnings("unchecked")
    BlockHandler<S, Object> handlerFor(Block block) {
        for (Entry<S, ?> e : blocks) {
            if (e.kind().isInstance(block)) {
                return (BlockHandler<S, Object>) e.handler();
            }
        }
        return null;
    }

    /** The join handler of {@code block}'s kind, or null (also for null). */
    @SuppressWarnings("unchecked")
    JoinHandler<S, Object> joinFor(Block block) {
        for (JoinEntry<S, ?> e : joins) {
            if (e.kind().isInstance(block)) {
                return (JoinHandler<S, Object>) e.handler();
            }
        }
        return null;
    }

    /** The simple names of the join kinds, e.g. {@code HAdd or QatAdd}. */
    String joinNames() {
        List<String> names = new ArrayList<>();
        joins.forEach(j -> names.add(j.kind().getSimpleName()));
        return names.isEmpty() ? "a join block" : String.join(" or ", names);
    }

    /** Builds {@link ExportHandlers}. */
    public static final class Builder<S> {
        private final String method;
        private S inputState;
        private final List<Entry<S, ?>> blocks = new ArrayList<>();
        private final List<JoinEntry<S, ?>> joins = new ArrayList<>();
        private OutputHandler<S> output = (step, last) -> last;
        private String supported = "";

        private Builder(String method) {
            this.method = Objects.requireNonNull(method, "method");
        }

        /** The state of the model's float input (default null). */
        public Builder<S> inputState(S state) {
            this.inputState = state;
            return this;
        }

        /** Registers the handler of a block kind (subclasses and implementations included). */
        public <B> Builder<S> block(Class<B> kind, BlockHandler<S, B> handler) {
            blocks.add(new Entry<>(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(handler, "handler")));
            return this;
        }

        /** Registers the handler of a block kind that closes a residual fork. */
        public <B> Builder<S> join(Class<B> kind, JoinHandler<S, B> handler) {
            joins.add(
                    new JoinEntry<>(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(handler, "handler")));
            return this;
        }

        /** What happens after the last block (default: nothing). */
        public Builder<S> output(OutputHandler<S> handler) {
            this.output = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** The list of supported blocks for the message refusing any other, e.g. {@code HQuantize, HDense, ...}. */
        public Builder<S> supported(String text) {
            this.supported = Objects.requireNonNull(text, "text");
            return this;
        }

        public ExportHandlers<S> build() {
            return new ExportHandlers<>(this);
        }
    }
}
