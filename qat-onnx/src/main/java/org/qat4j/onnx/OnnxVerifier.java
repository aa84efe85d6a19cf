package org.qat4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.qat4j.runtime.exec.InputGenerators;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.TensorKind;
import org.qat4j.runtime.model.TestVectors;

/**
 * Runs an exported ONNX graph in ONNX Runtime (one intra-op thread) and compares its outputs with
 * {@code IntegerRuntime}'s bit for bit: float32 outputs by their raw bit patterns, integer outputs
 * as int64, never within a tolerance. Inputs: the model's recorded test vectors, random inputs and
 * adversarial inputs (format extremes, rounding ties and their float neighbours) from
 * {@link InputGenerators}. Needs {@code com.microsoft.onnxruntime:onnxruntime} on the class path.
 */
public final class OnnxVerifier implements AutoCloseable {
    private static final int CHUNK = 1024;

    /**
     * One comparison.
     *
     * @param level ONNX Runtime graph optimization level
     * @param source which inputs (recorded vectors, random, adversarial)
     * @param samples inputs compared
     * @param mismatches output elements whose bits differ
     * @param firstMismatch the first differing element, or null
     */
    public record Comparison(String level, String source, int samples, long mismatches, String firstMismatch) {
        /** One line for a report. */
        public String line() {
            return String.format(
                    "%-8s %-12s %6d samples  %d mismatching elements%s",
                    level, source, samples, mismatches, firstMismatch == null ? "" : "  first: " + firstMismatch);
        }
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final long[] inputShape;
    private final String level;

    private OnnxVerifier(byte[] onnx, OptLevel level) throws OrtException {
        this.env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(level);
            o.setIntraOpNumThreads(1);
            o.setInterOpNumThreads(1);
            this.session = env.createSession(onnx, o);
        }
        this.inputName = session.getInputNames().iterator().next();
        this.inputShape = ((ai.onnxruntime.TensorInfo)
                        session.getInputInfo().get(inputName).getInfo())
                .getShape();
        this.level = level.name();
    }

    /** Opens a session on the serialized graph at the given optimization level. */
    public static OnnxVerifier open(byte[] onnx, OptLevel level) throws OrtException {
        return new OnnxVerifier(onnx, level);
    }

    /** Runs {@code batch} samples; returns float32 bit patterns (as ints widened to long) or int64 values. */
    public long[] run(float[] x, int batch) throws OrtException {
        long[] shape = inputShape.clone();
        shape[0] = batch;
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                OrtSession.Result r = session.run(Map.of(inputName, t))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            if (out.getInfo().type == ai.onnxruntime.OnnxJavaType.FLOAT) {
                FloatBuffer f = out.getFloatBuffer();
                long[] bits = new long[f.remaining()];
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = Float.floatToRawIntBits(f.get(i));
                }
                return bits;
            }
            java.nio.LongBuffer l = out.getLongBuffer();
            long[] v = new long[l.remaining()];
            l.get(v);
            return v;
        }
    }

    /** The integer runtime's outputs in the same encoding as {@link #run}. */
    public static long[] runtimeBits(IntegerRuntime rt, float[] x, int batch) {
        if (rt.model().tensor(rt.model().outputName()).kind() == TensorKind.INT) {
            return rt.runInt(x, batch);
        }
        float[] y = rt.runFloat(x, batch);
        long[] bits = new long[y.length];
        for (int i = 0; i < y.length; i++) {
            bits[i] = Float.floatToRawIntBits(y[i]);
        }
        return bits;
    }

    /** {@link #runtimeBits} in batches of at most {@value #CHUNK} samples (the runtime keeps every tensor of a batch). */
    static long[] runtimeBitsChunked(IntegerRuntime rt, float[] x, int count) {
        int in = rt.inputSize();
        long[] out = new long[count * rt.outputSize()];
        for (int start = 0; start < count; start += CHUNK) {
            int b = Math.min(CHUNK, count - start);
            long[] y = runtimeBits(rt, Arrays.copyOfRange(x, start * in, (start + b) * in), b);
            System.arraycopy(y, 0, out, start * rt.outputSize(), y.length);
        }
        return out;
    }

    /** Compares this session's outputs on {@code count} samples of {@code x} with the runtime's {@code want}. */
    public Comparison compare(IntegerModel model, String source, float[] x, int count, long[] want)
            throws OrtException {
        int in = x.length / count;
        int out = want.length / count;
        boolean isFloat = model.tensor(model.outputName()).kind() == TensorKind.FLOAT;
        long mismatches = 0;
        String first = null;
        for (int start = 0; start < count; start += CHUNK) {
            int b = Math.min(CHUNK, count - start);
            long[] got = run(Arrays.copyOfRange(x, start * in, (start + b) * in), b);
            for (int t = 0; t < got.length; t++) {
                long w = want[start * out + t];
                if (w != got[t]) {
                    mismatches++;
                    if (first == null) {
                        first = "sample " + (start + t / out) + " output " + (t % out) + ": runtime " + show(w, isFloat)
                                + ", ONNX Runtime " + show(got[t], isFloat);
                    }
                }
            }
        }
        return new Comparison(level, source, count, mismatches, first);
    }

    /**
     * Compares the graph with the runtime at ONNX Runtime's NO_OPT and ALL_OPT levels on the model's
     * recorded test vectors (if any), {@code random} random and {@code adversarial} adversarial inputs.
     */
    public static List<Comparison> verify(IntegerModel model, byte[] onnx, int random, int adversarial, long seed)
            throws OrtException {
        IntegerRuntime rt = IntegerRuntime.compile(model);
        InputGenerators gen = InputGenerators.of(model);
        List<String> sources = new ArrayList<>();
        List<float[]> inputs = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        TestVectors tv = model.testVectors();
        if (tv != null) {
            sources.add("test-vectors");
            inputs.add(tv.inputs());
            counts.add(tv.count());
        }
        if (random > 0) {
            sources.add("random");
            inputs.add(gen.random(new Random(seed), random));
            counts.add(random);
        }
        if (adversarial > 0) {
            sources.add("adversarial");
            inputs.add(gen.adversarial(new Random(seed + 1), adversarial));
            counts.add(adversarial);
        }
        List<long[]> want = new ArrayList<>();
        for (int s = 0; s < sources.size(); s++) {
            want.add(runtimeBitsChunked(rt, inputs.get(s), counts.get(s)));
        }
        List<Comparison> out = new ArrayList<>();
        for (OptLevel level : new OptLevel[] {OptLevel.NO_OPT, OptLevel.ALL_OPT}) {
            try (OnnxVerifier v = open(onnx, level)) {
                for (int s = 0; s < sources.size(); s++) {
                    out.add(v.compare(model, sources.get(s), inputs.get(s), counts.get(s), want.get(s)));
                }
            }
        }
        return out;
    }

    private static String show(long v, boolean isFloat) {
        if (!isFloat) {
            return Long.toString(v);
        }
        return Float.intBitsToFloat((int) v) + " (0x" + Integer.toHexString((int) v) + ")";
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
