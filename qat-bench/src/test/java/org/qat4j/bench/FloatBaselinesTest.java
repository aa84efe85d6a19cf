package org.qat4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.IntegerModel;

/**
 * The two float baselines of {@link RuntimeVsFloatBenchmark} compute the same network: ONNX Runtime on
 * the graph of {@link OnnxFloatGraph} against DJL on the block it was built from. Both are float32 with
 * different summation orders, so they agree to rounding, not bit for bit: a wrong layout (transposed
 * weights, missing ReLU, wrong padding) moves outputs by orders of magnitude more than the bound here.
 */
class FloatBaselinesTest {

    @Test
    void onnxRuntimeAndDjlComputeTheSameFloatNetwork() throws Exception {
        for (BenchNetwork spec : BenchNetwork.all()) {
            try (Model model = Model.newInstance("float")) {
                NDManager m = model.getNDManager();
                SequentialBlock plain = spec.plainFloat();
                model.setBlock(plain);
                plain.initialize(m, DataType.FLOAT32, spec.batchShape(1));
                float[] x = inputs(spec, 3);
                try (Contender djl = new DjlFloatContender(spec, plain, m);
                        Contender ort = new OrtFloatContender(spec, OnnxFloatGraph.build(spec, plain))) {
                    float[] a = djl.run(x, 3);
                    float[] b = ort.run(x, 3);
                    assertEquals(
                            3L * spec.layers().get(spec.layers().size() - 1).units(), a.length, spec.name());
                    assertEquals(a.length, b.length, spec.name());
                    double scale = 0;
                    for (float v : a) {
                        scale = Math.max(scale, Math.abs(v));
                    }
                    assertTrue(scale > 0, spec.name() + ": all outputs zero");
                    for (int i = 0; i < a.length; i++) {
                        assertTrue(
                                Math.abs(a[i] - b[i]) <= 1e-4 * scale,
                                spec.name() + " output " + i + ": DJL " + a[i] + ", ORT " + b[i]);
                    }
                }
            }
        }
    }

    @Test
    void quantizedNetworksExportAndRun() {
        for (BenchNetwork spec : BenchNetwork.all()) {
            try (Model model = Model.newInstance("qat")) {
                SequentialBlock qat = spec.quantized();
                model.setBlock(qat);
                IntegerModel im = spec.export(model.getNDManager(), qat, inputs(spec, 16), 16);
                IntegerRuntime rt = IntegerRuntime.compile(im);
                assertEquals(spec.inputSize(), rt.inputSize(), spec.name());
                assertEquals(spec.layers().size(), rt.arithmetic().size(), spec.name() + ": " + rt.arithmetic());
                assertEquals(2 * rt.outputSize(), rt.runFloat(inputs(spec, 2), 2).length);
            }
        }
    }

    @Test
    void macsPerSampleCountEveryLayer() {
        assertEquals(16 * 64 + 64 * 32 + 32 * 32 + 32 * 5, BenchNetwork.jets().macsPerSample());
        assertEquals(784 * 64 + 64 * 10, BenchNetwork.fashionMlp().macsPerSample());
        assertEquals(
                28 * 28 * 16 * 9 + 14 * 14 * 32 * 16 * 9 + 7 * 7 * 32 * 32 * 9 + 32 * 7 * 7 * 10,
                BenchNetwork.a2qCnn().macsPerSample());
    }

    private static float[] inputs(BenchNetwork spec, int batch) {
        Random rnd = new Random(4);
        float[] x = new float[batch * spec.inputSize()];
        for (int t = 0; t < x.length; t++) {
            x[t] = rnd.nextFloat();
        }
        return x;
    }
}
