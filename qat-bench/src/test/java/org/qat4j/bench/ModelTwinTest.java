package org.qat4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.TestModels;

/**
 * The float twin of an exported MLP ({@code qat bench runtime --model FILE}) is the network the integer
 * model was exported from, without its activation quantizers: on the HGQ jets MLP the benchmark exports,
 * the twin in DJL and the integer runtime agree to the activation quantization's error (a weight scaled by
 * the wrong power of two, a transposed layer or a lost bias moves the outputs by far more), and a model
 * that is not a fixed-point MLP is refused naming the op.
 */
class ModelTwinTest {

    @Test
    void theTwinComputesTheExportedNetworkUpToActivationQuantization() throws Exception {
        BenchNetwork spec = BenchNetwork.jets();
        Random rnd = new Random(8);
        int batch = 64;
        float[] x = new float[batch * spec.inputSize()];
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) (rnd.nextGaussian() * 2);
        }
        try (Model qat = Model.newInstance("qat");
                Model twinModel = Model.newInstance("twin")) {
            SequentialBlock q = spec.quantized();
            qat.setBlock(q);
            IntegerModel im = spec.export(qat.getNDManager(), q, x, batch);
            ModelTwin twin = ModelTwin.of(im, "jets.json");
            assertEquals(
                    List.of(64, 32, 32, 5),
                    twin.spec().layers().stream().map(BenchLayer::units).toList());
            assertEquals("jets.json 16-64-32-32-5 (HGQ)", twin.spec().name());
            NDManager m = twinModel.getNDManager();
            SequentialBlock plain = twin.spec().plainFloat();
            twinModel.setBlock(plain);
            plain.initialize(m, DataType.FLOAT32, twin.spec().batchShape(1));
            twin.load(plain);
            float[] want = IntegerRuntime.compile(im).runFloat(x, batch);
            float[] got;
            try (Contender djl = new DjlFloatContender(twin.spec(), plain, m)) {
                got = djl.run(x, batch);
            }
            double scale = 0;
            double err = 0;
            for (int i = 0; i < want.length; i++) {
                scale = Math.max(scale, Math.abs(want[i]));
                err = Math.max(err, Math.abs(want[i] - got[i]));
            }
            assertTrue(scale > 0, "all outputs zero");
            assertTrue(err <= 0.05 * scale, "max |integer − twin| = " + err + " at output scale " + scale);
        }
    }

    @Test
    void aModelThatIsNotAFixedPointMlpIsRefusedNamingTheOp() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ModelTwin.of(TestModels.cnnFixed(3), "cnn.json"));
        assertTrue(
                e.getMessage().contains("only a flat input") || e.getMessage().contains("op '"), e.getMessage());
    }
}
