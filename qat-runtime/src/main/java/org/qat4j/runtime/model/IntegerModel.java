package org.qat4j.runtime.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An exported integer model: one float32 input, a list of {@link ModelOp}s in execution order over
 * named tensors, and one output tensor. Everything the integer runtime and the overflow checker need,
 * nothing of the training framework. Construction validates the whole graph (unique names, known
 * inputs, shapes and kinds), so every {@code IntegerModel} instance is runnable.
 */
public final class IntegerModel {
    /** Version of the file format this class reads and writes. */
    public static final int FORMAT_VERSION = 1;

    private final Provenance provenance;
    private final String inputName;
    private final int[] inputShape;
    private final List<ModelOp> ops;
    private final String outputName;
    private final Map<String, TensorInfo> tensors;
    private final TestVectors testVectors;

    private IntegerModel(Builder b) {
        this.provenance = Objects.requireNonNull(b.provenance, "provenance is required (setProvenance)");
        this.inputName = Objects.requireNonNull(b.inputName, "input name is required (setInput)");
        this.inputShape = Objects.requireNonNull(b.inputShape, "input shape is required (setInput)")
                .clone();
        this.ops = List.copyOf(b.ops);
        this.outputName = Objects.requireNonNull(b.outputName, "output name is required (setOutput)");
        this.tensors = Collections.unmodifiableMap(validate());
        this.testVectors = b.testVectors;
        if (testVectors != null) {
            testVectors.validate(tensors.get(inputName).numel(), tensors.get(outputName));
        }
    }

    /** Recorded input/output pairs of the source model, or null. */
    public TestVectors testVectors() {
        return testVectors;
    }

    private Map<String, TensorInfo> validate() {
        Map<String, TensorInfo> infos = new LinkedHashMap<>();
        Shapes.numel(inputShape, "$.input.shape");
        infos.put(inputName, new TensorInfo(inputShape, TensorKind.FLOAT));
        for (int n = 0; n < ops.size(); n++) {
            ModelOp op = ops.get(n);
            String field = "$.ops[" + n + "] (" + op.opType() + " '" + op.name() + "')";
            List<TensorInfo> in = new ArrayList<>();
            for (String name : op.inputs()) {
                TensorInfo t = infos.get(name);
                if (t == null) {
                    throw new ModelFormatException(
                            field + ": input tensor '" + name + "' is not defined by the model input or an earlier op");
                }
                in.add(t);
            }
            if (infos.containsKey(op.name())) {
                throw new ModelFormatException(field + ": tensor name '" + op.name() + "' is already defined");
            }
            infos.put(op.name(), op.infer(in, field));
        }
        if (!infos.containsKey(outputName)) {
            throw new ModelFormatException("$.output: tensor '" + outputName + "' is not defined");
        }
        if (ops.isEmpty()) {
            throw new ModelFormatException("$.ops: a model needs at least one op");
        }
        return infos;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** How the model was made. */
    public Provenance provenance() {
        return provenance;
    }

    /** Name of the float32 input tensor. */
    public String inputName() {
        return inputName;
    }

    /** Per-sample input shape. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Ops in execution order. */
    public List<ModelOp> ops() {
        return ops;
    }

    /** Name of the output tensor. */
    public String outputName() {
        return outputName;
    }

    /** Shape and kind of every tensor, in definition order (input first). */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** Shape and kind of one tensor. */
    public TensorInfo tensor(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "' in the model");
        }
        return t;
    }

    /** The op that writes tensor {@code name}. */
    public ModelOp op(String name) {
        for (ModelOp op : ops) {
            if (op.name().equals(name)) {
                return op;
            }
        }
        throw new IllegalArgumentException("no op named '" + name + "' in the model; ops: "
                + ops.stream().map(ModelOp::name).toList());
    }

    /** A builder with the same content, to derive a modified model. */
    public Builder toBuilder() {
        Builder b = new Builder()
                .setProvenance(provenance)
                .setInput(inputName, inputShape)
                .setOutput(outputName);
        ops.forEach(b::addOp);
        return b.optTestVectors(testVectors);
    }

    /** Builder: {@code setProvenance}, {@code setInput}, {@code addOp}…, {@code setOutput}, {@code build}. */
    public static final class Builder {
        private Provenance provenance;
        private String inputName;
        private int[] inputShape;
        private final List<ModelOp> ops = new ArrayList<>();
        private String outputName;
        private TestVectors testVectors;

        private Builder() {}

        /** Optional: recorded input/output pairs of the source model (null for none). */
        public Builder optTestVectors(TestVectors v) {
            this.testVectors = v;
            return this;
        }

        /** Required: provenance. */
        public Builder setProvenance(Provenance p) {
            this.provenance = p;
            return this;
        }

        /** Required: the float32 input's name and per-sample shape. */
        public Builder setInput(String name, int... shape) {
            this.inputName = name;
            this.inputShape = shape.clone();
            return this;
        }

        /** Appends an op (execution order). */
        public Builder addOp(ModelOp op) {
            ops.add(Objects.requireNonNull(op, "op"));
            return this;
        }

        /** Removes every op (to rebuild a modified op list). */
        public Builder clearOps() {
            ops.clear();
            return this;
        }

        /** Required: the output tensor. */
        public Builder setOutput(String name) {
            this.outputName = name;
            return this;
        }

        /** Validates the graph and builds the model. */
        public IntegerModel build() {
            return new IntegerModel(this);
        }
    }
}
