package org.qat4j.core.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.qat4j.runtime.exec.InputGenerators;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.TensorKind;

/**
 * Runs a trained DJL block in evaluation mode and the exported integer model on the same inputs and
 * compares the outputs bit for bit (float32 bit patterns, never a tolerance): the contract that the
 * integer model computes exactly what was trained (integer dot products first, scales after, HGQ
 * arXiv 2405.00645 §10, A2Q arXiv 2308.13504 §3). The DJL forward runs in FLOAT32 by default, or in
 * FLOAT64 (the block's parameters must already be FLOAT64) when a certified accumulator needs more
 * than 24 bits; the report says which.
 *
 * <pre>{@code
 * BitExactReport r = BitExactHarness.builder().setBlock(block).setModel(model).build()
 *         .compareGenerated(manager, 5000, 5000, seed);
 * }</pre>
 */
public final class BitExactHarness {
    private final Block block;
    private final IntegerModel model;
    private final IntegerRuntime runtime;
    private final DataType forwardType;
    private final int batchSize;

    private BitExactHarness(Builder b) {
        this.block = Objects.requireNonNull(b.block, "block is required (setBlock)");
        this.model = Objects.requireNonNull(b.model, "model is required (setModel)");
        this.runtime = IntegerRuntime.compile(model);
        this.forwardType = b.forwardType;
        this.batchSize = b.batchSize;
        if (model.tensor(model.outputName()).kind() != TensorKind.FLOAT) {
            throw new IllegalArgumentException(
                    "model output '" + model.outputName() + "' is an integer tensor; the harness compares "
                            + "float outputs (end the model with a dequantize op)");
        }
    }

    /**
     * FLOAT64 when some accumulator of {@code model} may leave the range where float32 holds every
     * integer exactly ({@code |acc| ≤ 2^24}, i.e. more than 25 signed bits), else FLOAT32.
     */
    public static DataType requiredForwardType(IntegerModel model) {
        for (org.qat4j.runtime.cert.LayerCertificate l :
                org.qat4j.runtime.prove.CertificateProver.prove(model).layers()) {
            if (l.minimalBits() > 25) {
                return DataType.FLOAT64;
            }
        }
        return DataType.FLOAT32;
    }

    /** The integer model compared. */
    public IntegerModel model() {
        return model;
    }

    /** Data type of the DJL forward (FLOAT32 or FLOAT64). */
    public DataType forwardType() {
        return forwardType;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Compares {@code nRandom} random and {@code nAdversarial} adversarial inputs from the model's input quantizer. */
    public BitExactReport compareGenerated(NDManager manager, int nRandom, int nAdversarial, long seed) {
        InputGenerators g = InputGenerators.of(model);
        Random rnd = new Random(seed);
        Accumulator acc = new Accumulator();
        compare(manager, "random", g.random(rnd, nRandom), nRandom, acc);
        compare(
                manager,
                "adversarial (format extremes, rounding ties and their float neighbours)",
                g.adversarial(rnd, nAdversarial),
                nAdversarial,
                acc);
        return acc.report(forwardType);
    }

    /** Compares the given inputs ({@code count × inputSize}, sample-major) under the source name {@code source}. */
    public BitExactReport compare(NDManager manager, String source, float[] inputs, int count) {
        Accumulator acc = new Accumulator();
        compare(manager, source, inputs, count, acc);
        return acc.report(forwardType);
    }

    /** Compares several sources in one report. */
    public BitExactReport compareAll(NDManager manager, Map<String, float[]> sources) {
        Accumulator acc = new Accumulator();
        for (Map.Entry<String, float[]> e : sources.entrySet()) {
            compare(manager, e.getKey(), e.getValue(), e.getValue().length / runtime.inputSize(), acc);
        }
        return acc.report(forwardType);
    }

    /**
     * The model with recorded test vectors: {@code inputs} and the DJL forward's outputs for them, so
     * that {@code qat verify} can re-check bit exactness without DJL.
     */
    public IntegerModel withTestVectors(NDManager manager, float[] inputs, int count) {
        float[] y = djlForward(manager, inputs, count);
        return model.toBuilder()
                .optTestVectors(new org.qat4j.runtime.model.TestVectors(
                        "DJL " + ai.djl.engine.Engine.getInstance().getEngineName() + " eval forward, " + forwardType,
                        count,
                        inputs,
                        y,
                        null))
                .build();
    }

    /** The DJL forward (evaluation mode) of {@code count} samples, as float32 values. */
    public float[] djlForward(NDManager manager, float[] inputs, int count) {
        int in = runtime.inputSize();
        int out = runtime.outputSize();
        float[] y = new float[count * out];
        long[] shape = new long[model.inputShape().length + 1];
        for (int a = 0; a < model.inputShape().length; a++) {
            shape[a + 1] = model.inputShape()[a];
        }
        ParameterStore ps = new ParameterStore(manager, false);
        for (int start = 0; start < count; start += batchSize) {
            int n = Math.min(batchSize, count - start);
            shape[0] = n;
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(Arrays.copyOfRange(inputs, start * in, (start + n) * in), new Shape(shape));
                if (forwardType == DataType.FLOAT64) {
                    x = x.toType(DataType.FLOAT64, false);
                }
                NDArray r = block.forward(ps, new NDList(x), false).singletonOrThrow();
                float[] v = r.toType(DataType.FLOAT32, false).toFloatArray();
                if (v.length != n * out) {
                    throw new IllegalStateException("DJL output has " + v.length + " values for " + n
                            + " samples, the integer model " + n * out);
                }
                System.arraycopy(v, 0, y, start * out, v.length);
            }
        }
        return y;
    }

    private void compare(NDManager manager, String source, float[] inputs, int count, Accumulator acc) {
        int in = runtime.inputSize();
        int out = runtime.outputSize();
        if (inputs.length != (long) count * in) {
            throw new IllegalArgumentException(
                    source + ": " + inputs.length + " inputs for " + count + " samples of " + in);
        }
        float[] djl = djlForward(manager, inputs, count);
        float[] rt = new float[count * out];
        for (int start = 0; start < count; start += batchSize) {
            int n = Math.min(batchSize, count - start);
            float[] y = runtime.runFloat(Arrays.copyOfRange(inputs, start * in, (start + n) * in), n);
            System.arraycopy(y, 0, rt, start * out, y.length);
        }
        long mism = 0;
        for (int t = 0; t < djl.length; t++) {
            if (Float.floatToRawIntBits(djl[t]) != Float.floatToRawIntBits(rt[t])) {
                mism++;
                if (acc.first == null) {
                    acc.first = describe(source, inputs, t / out, t % out, djl[t], rt[t]);
                }
            }
        }
        acc.sources.add(new BitExactReport.Source(source, count, mism));
        acc.samples += count;
        acc.elements += djl.length;
        acc.mismatches += mism;
    }

    private String describe(String source, float[] inputs, int sample, int element, float djl, float rt) {
        int in = runtime.inputSize();
        float[] x = Arrays.copyOfRange(inputs, sample * in, (sample + 1) * in);
        StringBuilder b = new StringBuilder();
        b.append("  source ")
                .append(source)
                .append(", sample ")
                .append(sample)
                .append(", output element ")
                .append(element)
                .append('\n');
        b.append("  DJL     ")
                .append(djl)
                .append(" (bits 0x")
                .append(Integer.toHexString(Float.floatToRawIntBits(djl)))
                .append(")\n");
        b.append("  runtime ")
                .append(rt)
                .append(" (bits 0x")
                .append(Integer.toHexString(Float.floatToRawIntBits(rt)))
                .append(")\n");
        b.append("  input   ").append(Arrays.toString(x)).append('\n');
        for (Map.Entry<String, Object> e : runtime.trace(x, 1).entrySet()) {
            Object v = e.getValue();
            String s = v instanceof long[] l ? Arrays.toString(l) : Arrays.toString((float[]) v);
            b.append("  runtime ")
                    .append(e.getKey())
                    .append(" = ")
                    .append(s.length() > 400 ? s.substring(0, 400) + "…" : s)
                    .append('\n');
        }
        return b.toString();
    }

    private static final class Accumulator {
        final List<BitExactReport.Source> sources = new ArrayList<>();
        long samples;
        long elements;
        long mismatches;
        String first;

        BitExactReport report(DataType type) {
            return new BitExactReport(List.copyOf(sources), samples, elements, mismatches, type.name(), first);
        }
    }

    /** Builder: {@code setBlock} and {@code setModel} required; {@code optForwardType}, {@code optBatchSize}. */
    public static final class Builder {
        private Block block;
        private IntegerModel model;
        private DataType forwardType = DataType.FLOAT32;
        private int batchSize = 256;

        private Builder() {}

        /** The trained block (initialized; run in evaluation mode). */
        public Builder setBlock(Block block) {
            this.block = block;
            return this;
        }

        /** The exported integer model. */
        public Builder setModel(IntegerModel model) {
            this.model = model;
            return this;
        }

        /** FLOAT32 (default) or FLOAT64 (parameters must be FLOAT64 already). */
        public Builder optForwardType(DataType type) {
            if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
                throw new IllegalArgumentException("forwardType must be FLOAT32 or FLOAT64, got " + type);
            }
            this.forwardType = type;
            return this;
        }

        /** Samples per forward (default 256). */
        public Builder optBatchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + n);
            }
            this.batchSize = n;
            return this;
        }

        /** Builds the harness (compiles the runtime). */
        public BitExactHarness build() {
            return new BitExactHarness(this);
        }
    }
}
