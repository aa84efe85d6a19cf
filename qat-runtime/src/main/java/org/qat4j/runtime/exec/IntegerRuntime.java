package org.qat4j.runtime.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.runtime.model.AddOp;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.DequantizeScaledOp;
import org.qat4j.runtime.model.EmbeddingOp;
import org.qat4j.runtime.model.FlattenOp;
import org.qat4j.runtime.model.FloatAddOp;
import org.qat4j.runtime.model.Granularity;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.model.PoolGeometry;
import org.qat4j.runtime.model.PoolOp;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.QuantizeScaledOp;
import org.qat4j.runtime.model.RangeAnalysis;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;
import org.qat4j.runtime.model.SparqOp;
import org.qat4j.runtime.model.TensorInfo;

/**
 * Runs an {@link IntegerModel} with integer ({@code int}/{@code long}) arithmetic; float32 appears
 * only where the model says so (input quantizers, A2Q post-scales, dequantized outputs), as IEEE
 * operations in the documented order. Compiling analyses worst-case accumulator ranges once: layers
 * proven to fit run unchecked (32-bit accumulation where that is proven too), the others check every
 * partial sum and throw {@link AccumulatorOverflowException} — overflow is never silent.
 *
 * <p>Inputs and outputs are sample-major flat arrays of {@code batch × numel}. Instances are
 * thread-safe: each thread reuses its own intermediate tensors between calls of the same batch size
 * ({@link Workspace}; nothing is allocated per element, and the arrays returned are always fresh).
 * {@code run} executes the ops fused ({@link Fusion}: ReLUs into requantizers, quantizers writing the
 * next dense layer's operand type); {@link #trace} executes them one by one and returns every tensor.
 */
public final class IntegerRuntime {
    private final IntegerModel model;
    /** One kernel per op, in model order (what {@link #trace} runs). */
    private final List<Kernel> kernels;
    /** What {@code run} executes: {@link #kernels} fused ({@link Fusion}). */
    private final List<Kernel> fused;
    /** Per thread, the environments of the last two batch sizes run: their tensors are reused (see {@link Workspace}). */
    private final ThreadLocal<Object[][]> reuse = new ThreadLocal<>();

    private final List<String> slotNames;
    private final int inputNumel;
    /** Samples per pass through the network: every intermediate tensor of a pass stays near {@link #PASS_ELEMENTS} elements. */
    private final int samplesPerPass;

    private final int outputSlot;
    private final int outputNumel;

    private IntegerRuntime(IntegerModel model) {
        this.model = model;
        RangeAnalysis ra = RangeAnalysis.of(model);
        Map<String, Integer> slots = new HashMap<>();
        slotNames = new ArrayList<>();
        slots.put(model.inputName(), 0);
        slotNames.add(model.inputName());
        kernels = new ArrayList<>();
        for (ModelOp op : model.ops()) {
            int dst = slotNames.size();
            slots.put(op.name(), dst);
            slotNames.add(op.name());
            kernels.add(compile(op, slots, dst, ra));
        }
        inputNumel = model.tensor(model.inputName()).numel();
        int widest = inputNumel;
        for (ModelOp op : model.ops()) {
            widest = Math.max(widest, model.tensor(op.name()).numel());
        }
        // a checked op names the failing sample by its index in the pass: models with one run the batch in one pass
        boolean allProven = ra.accumulators().stream().allMatch(RangeAnalysis.Accumulator::fitsDeclared);
        samplesPerPass = allProven ? Math.max(1, PASS_ELEMENTS / widest) : Integer.MAX_VALUE;
        outputSlot = slots.get(model.outputName());
        outputNumel = model.tensor(model.outputName()).numel();
        fused = Fusion.fuse(model, kernels, slots, ra);
        widestNumel = widest;
    }

    private final int widestNumel;

    /** The kernels {@code runFloat}/{@code runInt} execute (tests). */
    List<Kernel> fusedKernels() {
        return fused;
    }

    /** Compiles a model for execution. */
    public static IntegerRuntime compile(IntegerModel model) {
        return new IntegerRuntime(model);
    }

    /** The model this runtime runs. */
    public IntegerModel model() {
        return model;
    }

    /** Per-sample input element count. */
    public int inputSize() {
        return inputNumel;
    }

    /** Per-sample output element count. */
    public int outputSize() {
        return outputNumel;
    }

    /**
     * The arithmetic each multiply-accumulate op runs on, chosen when compiling from the worst-case
     * accumulator ranges: op name → {@code "int"}, {@code "long"}, {@code "checked long"}…, in model order.
     */
    public Map<String, String> arithmetic() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int k = 0; k < kernels.size(); k++) {
            String a = kernels.get(k).arithmetic();
            if (a != null) {
                out.put(slotNames.get(k + 1), a);
            }
        }
        return out;
    }

    private Kernel compile(ModelOp op, Map<String, Integer> slots, int dst, RangeAnalysis ra) {
        int src = slots.get(op.inputs().get(0));
        TensorInfo out = model.tensor(op.name());
        int n = out.numel();
        if (op instanceof QuantizeFixedOp q) {
            return new QuantizeFixedKernel(
                    q.formats().expand(out.shape(), op.name()), q.rounding(), q.overflow(), src, dst);
        }
        if (op instanceof QuantizeScaledOp q) {
            return ElementwiseKernels.quantizeScaled(q.scale(), q.min(), q.max(), n, src, dst);
        }
        if (op instanceof RequantizeFixedOp q) {
            return Fusion.requantize(model, q, src, dst, ra.range(q.input()), false);
        }
        if (op instanceof DequantizeFixedOp d) {
            return ElementwiseKernels.dequantizeFixed(
                    op.name(), Granularity.expand(d.frac(), out.shape(), op.name() + ".frac"), src, dst);
        }
        if (op instanceof DequantizeScaledOp d) {
            int channels = out.shape().length == 0 ? 1 : out.shape()[0];
            return ElementwiseKernels.dequantizeScaled(
                    d.inputScale(), d.channelScale(), d.bias(), channels, n, src, dst);
        }
        if (op instanceof DenseOp d) {
            return new DenseKernel(d, src, dst, ra);
        }
        if (op instanceof ConvOp c) {
            return new ConvKernel(c, model.tensor(c.input()).shape(), out.shape(), src, dst, ra);
        }
        if (op instanceof AddOp a) {
            return ElementwiseKernels.add(
                    op.name(),
                    a.accumulatorBits(),
                    ra.accumulator(op.name()).fitsDeclared(),
                    n,
                    src,
                    slots.get(a.b()),
                    dst);
        }
        if (op instanceof FloatAddOp a) {
            return ElementwiseKernels.floatAdd(n, src, slots.get(a.b()), dst);
        }
        if (op instanceof EmbeddingOp e) {
            return new EmbeddingKernel(e, model.tensor(e.input()).numel(), ra, src, dst);
        }
        if (op instanceof SparqOp q) {
            return new SparqKernel(q, out.shape(), n, src, dst);
        }
        if (op instanceof MultipointDenseOp m) {
            return new MultipointKernel(m, ra, src, dst);
        }
        if (op instanceof ReluOp) {
            return ElementwiseKernels.relu(src, dst);
        }
        if (op instanceof FlattenOp) {
            return ElementwiseKernels.flatten(src, dst);
        }
        if (op instanceof PoolOp p && p.kind() == PoolOp.Kind.FLOAT_AVG) {
            TensorInfo in = model.tensor(p.input());
            return ElementwiseKernels.floatAvgPool(
                    new PoolGeometry(in.shape(), out.shape(), p.window(), p.stride()), in.numel(), n, src, dst);
        }
        if (op instanceof PoolOp p) {
            TensorInfo in = model.tensor(p.input());
            boolean max = p.kind() == PoolOp.Kind.MAX;
            boolean proven = max || ra.accumulator(op.name()).fitsDeclared();
            return ElementwiseKernels.pool(
                    op.name(),
                    max,
                    new PoolGeometry(in.shape(), out.shape(), p.window(), p.stride()),
                    in.numel(),
                    n,
                    out.shape()[0],
                    max ? 64 : p.accumulatorBits(),
                    proven,
                    src,
                    dst);
        }
        throw new IllegalStateException("unhandled op " + op.opType());
    }

    /** Runs the fused kernels on a reused environment; the caller copies the output out of it. */
    private Object execute(float[] input, int batch) {
        validate(input, batch);
        Object[] env = environment(batch);
        env[0] = input;
        try {
            for (Kernel k : fused) {
                k.run(env, batch);
            }
            return env[outputSlot];
        } finally {
            env[0] = null;
        }
    }

    /** Tensors up to this many elements per environment are kept between calls (a larger batch allocates every call). */
    private static final long REUSE_ELEMENTS = 1L << 18;

    private Object[] environment(int batch) {
        if ((long) batch * widestNumel > REUSE_ELEMENTS) {
            return new Object[slotNames.size()];
        }
        Object[][] envs = reuse.get();
        if (envs == null) {
            envs = new Object[2][];
            reuse.set(envs);
        }
        for (Object[] env : envs) {
            if (env != null && (int) env[env.length - 1] == batch) {
                return env;
            }
        }
        Object[] env = new Object[slotNames.size() + 1];
        env[env.length - 1] = batch;
        envs[1] = envs[0];
        envs[0] = env;
        return env;
    }

    private void validate(float[] input, int batch) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch = " + batch + ": must be positive");
        }
        if (input.length != (long) batch * inputNumel) {
            throw new IllegalArgumentException("input has " + input.length + " floats, expected batch × " + inputNumel
                    + " = " + (long) batch * inputNumel);
        }
    }

    /**
     * Elements per intermediate tensor of one pass (64 K longs, 512 KB): a large batch runs in passes of
     * that many samples, so each op's output is still in cache when the next op reads it. Samples are
     * independent, so the passes compute exactly what one pass over the whole batch would.
     */
    private static final int PASS_ELEMENTS = 1 << 16;

    int samplesPerPass() {
        return samplesPerPass;
    }

    /** Runs a batch whose output is a float tensor; returns {@code batch × outputSize} floats. */
    public float[] runFloat(float[] input, int batch) {
        return (float[]) run(input, batch, float[].class);
    }

    /** Runs a batch whose output is an integer tensor; returns {@code batch × outputSize} integers. */
    public long[] runInt(float[] input, int batch) {
        return (long[]) run(input, batch, long[].class);
    }

    private Object run(float[] input, int batch, Class<?> type) {
        if (batch <= samplesPerPass) {
            return copy(checkType(execute(input, batch), type));
        }
        validate(input, batch);
        Object out = java.lang.reflect.Array.newInstance(type.getComponentType(), batch * outputNumel);
        for (int b0 = 0; b0 < batch; b0 += samplesPerPass) {
            int nb = Math.min(samplesPerPass, batch - b0);
            float[] part = java.util.Arrays.copyOfRange(input, b0 * inputNumel, (b0 + nb) * inputNumel);
            System.arraycopy(checkType(execute(part, nb), type), 0, out, b0 * outputNumel, nb * outputNumel);
        }
        return out;
    }

    private static Object copy(Object a) {
        return a instanceof float[] f ? f.clone() : ((long[]) a).clone();
    }

    private Object checkType(Object out, Class<?> type) {
        if (type == float[].class && !(out instanceof float[])) {
            throw new IllegalStateException("output '" + model.outputName() + "' is an integer tensor: use runInt");
        }
        if (type == long[].class && !(out instanceof long[])) {
            throw new IllegalStateException("output '" + model.outputName() + "' is a float tensor: use runFloat");
        }
        return out;
    }

    /**
     * Runs a batch and returns every tensor by name ({@code long[]} or {@code float[]}), in model
     * order: for diagnosing the first mismatch layer by layer.
     */
    public Map<String, Object> trace(float[] input, int batch) {
        validate(input, batch);
        Object[] env = new Object[slotNames.size()];
        env[0] = input;
        for (Kernel k : kernels) {
            k.run(env, batch);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int s = 0; s < env.length; s++) {
            out.put(slotNames.get(s), env[s]);
        }
        return out;
    }
}
