package org.qat4j.runtime.model;

import java.util.Objects;

/**
 * Input/output pairs recorded at export time from the float graph the model came from (the DJL
 * forward in evaluation mode), kept in the model file so that a deployment can re-check bit
 * exactness without the training framework ({@code qat verify}).
 *
 * @param source where the outputs came from, e.g. {@code DJL 0.36.0 eval forward, FLOAT32}
 * @param count number of samples
 * @param inputs {@code count × inputNumel} float32 inputs
 * @param floatOutputs {@code count × outputNumel} float32 outputs (float output tensors), or null
 * @param intOutputs {@code count × outputNumel} integer outputs (integer output tensors), or null
 */
public record TestVectors(String source, int count, float[] inputs, float[] floatOutputs, long[] intOutputs) {
    /** Validates and copies. */
    public TestVectors {
        Objects.requireNonNull(source, "testVectors.source");
        if (count < 1) {
            throw new ModelFormatException("testVectors.count = " + count + ": must be ≥ 1 (omit the field for none)");
        }
        if ((floatOutputs == null) == (intOutputs == null)) {
            throw new ModelFormatException("testVectors: exactly one of floatOutputs and intOutputs must be given");
        }
        inputs = inputs.clone();
        floatOutputs = floatOutputs == null ? null : floatOutputs.clone();
        intOutputs = intOutputs == null ? null : intOutputs.clone();
    }

    @Override
    public float[] inputs() {
        return inputs.clone();
    }

    @Override
    public float[] floatOutputs() {
        return floatOutputs == null ? null : floatOutputs.clone();
    }

    @Override
    public long[] intOutputs() {
        return intOutputs == null ? null : intOutputs.clone();
    }

    void validate(int inNumel, TensorInfo out) {
        if ((long) count * inNumel != inputs.length) {
            throw new ModelFormatException("$.testVectors.inputs: " + inputs.length
                    + " values, expected count × input size = " + count + " × " + inNumel);
        }
        int outLen = floatOutputs != null ? floatOutputs.length : intOutputs.length;
        if ((long) count * out.numel() != outLen) {
            throw new ModelFormatException("$.testVectors.outputs: " + outLen
                    + " values, expected count × output size = " + count + " × " + out.numel());
        }
        if ((floatOutputs != null) != (out.kind() == TensorKind.FLOAT)) {
            throw new ModelFormatException(
                    "$.testVectors.outputs: dtype does not match the " + out.kind() + " output tensor");
        }
    }
}
