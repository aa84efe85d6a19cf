package org.qat4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * ONNX Runtime (Java API, CPU execution provider) on the float32 graph of {@link OnnxFloatGraph}: one
 * intra-op and one inter-op thread, sequential execution, all graph optimizations. Each call wraps the
 * input array in a tensor and copies the output back.
 */
final class OrtFloatContender implements Contender {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final long[] shape;

    OrtFloatContender(BenchNetwork spec, byte[] onnx) throws OrtException {
        this.env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = env.createSession(onnx, o);
        }
        this.shape = new long[spec.inputShape().length + 1];
        for (int a = 0; a < spec.inputShape().length; a++) {
            shape[a + 1] = spec.inputShape()[a];
        }
    }

    @Override
    public String name() {
        return "ONNX Runtime float32";
    }

    @Override
    public float[] run(float[] input, int batch) throws OrtException {
        long[] s = shape.clone();
        s[0] = batch;
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), s);
                OrtSession.Result r = session.run(Map.of("x", x))) {
            FloatBuffer y = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[y.remaining()];
            y.get(out);
            return out;
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
