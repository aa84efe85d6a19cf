package org.qat4j.ptq.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.engine.NoGradScope;

/**
 * BRECQ's step-size stage on a small network: with the rounding fixed, learning the activation steps (LSQ on the
 * reconstruction loss) lowers the reconstruction error of the whole network on the calibration set, changes only
 * the quantizers' steps, and the result still exports to a certified integer model equal to the twin bit for bit.
 */
class ActivationStepLearningTest {

    private static SmallFloatMlp mlp;

    @BeforeAll
    static void train() {
        mlp = new SmallFloatMlp(9, 1024);
    }

    @AfterAll
    static void close() {
        mlp.close();
    }

    private static double error(PtqTwin twin, NDManager m, NDArray x, NDArray target) {
        try (NDManager scope = m.newSubManager()) {
            NDArray out = twin.forward(scope, x);
            return out.sub(target)
                            .square()
                            .sum()
                            .toType(DataType.FLOAT64, false)
                            .getDouble()
                    / x.getShape().get(0);
        }
    }

    @Test
    void learnedStepsLowerTheReconstructionErrorAndStayExact() {
        try (NDManager m = mlp.model.getNDManager().newSubManager()) {
            CalibrationSet calibration = mlp.calibration(512);
            PtqConfig config = PtqConfig.builder()
                    .setMethod(PtqMethod.MINMAX_CHANNEL)
                    .setWeightBits(4)
                    .setActivationBits(3)
                    .build();
            QuantizedTwin q = PostTrainingQuantizer.quantize(mlp.model.getBlock(), m, calibration, config, s -> {});
            PtqTwin twin = q.twin();
            NDArray target;
            try (NoGradScope ignored = NoGradScope.open()) {
                target = mlp.model
                        .getBlock()
                        .forward(new ParameterStore(m, false), new NDList(calibration.inputs()), false)
                        .head();
            }
            List<ActivationQuantizer> quantizers = new ArrayList<>();
            List<Float> before = new ArrayList<>();
            int firstLayer = -1;
            int lastLayer = -1;
            for (int i = 0; i < twin.children().size(); i++) {
                ActivationQuantizer aq = PtqTwin.quantizerOf(twin.children().get(i));
                if (aq != null) {
                    quantizers.add(aq);
                    before.add(aq.scaleValue());
                } else if (twin.children().get(i) instanceof org.qat4j.a2q.nn.AbstractQLayer) {
                    firstLayer = firstLayer < 0 ? i : firstLayer;
                    lastLayer = i;
                }
            }
            long[][] weightsBefore = ((org.qat4j.a2q.nn.AbstractQLayer)
                            twin.children().get(firstLayer))
                    .quantizedWeights()
                    .intWeights();
            double errorBefore = error(twin, m, calibration.inputs(), target);
            double[] losses = ActivationStepLearning.run(
                    twin, m, calibration.inputs(), firstLayer, lastLayer, target, false, 300, 64, new Random(1));
            double errorAfter = error(twin, m, calibration.inputs(), target);
            assertEquals(3, (int) losses[2], "the input quantizer and both hidden ReLU quantizers");
            assertTrue(errorAfter < errorBefore, "reconstruction error " + errorBefore + " -> " + errorAfter);
            boolean changed = false;
            for (int i = 0; i < quantizers.size(); i++) {
                changed |= quantizers.get(i).scaleValue() != before.get(i);
            }
            assertTrue(changed, "no step changed");
            long[][] weightsAfter = ((org.qat4j.a2q.nn.AbstractQLayer)
                            twin.children().get(firstLayer))
                    .quantizedWeights()
                    .intWeights();
            for (int c = 0; c < weightsBefore.length; c++) {
                assertEquals(java.util.Arrays.toString(weightsBefore[c]), java.util.Arrays.toString(weightsAfter[c]));
            }
            System.out.printf(
                    "step-size learning: reconstruction error %.5f -> %.5f, steps %s -> %s%n",
                    errorBefore,
                    errorAfter,
                    before,
                    quantizers.stream().map(ActivationQuantizer::scaleValue).toList());
        }
    }

    @Test
    void brecqWithLearnedStepsEndsInACertifiedBitExactModel() {
        try (NDManager m = mlp.model.getNDManager().newSubManager()) {
            PtqConfig config = PtqConfig.builder()
                    .setMethod(PtqMethod.BRECQ)
                    .setWeightBits(3)
                    .setActivationBits(3)
                    .optIterations(150)
                    .build();
            List<String> log = new ArrayList<>();
            PtqResult r = PostTrainingQuantizer.quantizeAndVerify(
                    mlp.model.getBlock(), m, mlp.calibration(256), config, log::add);
            assertTrue(r.check().holds(), r.check().problems().toString());
            assertTrue(r.bitExact().exact(), r.bitExact().toString());
            assertTrue(log.stream().anyMatch(l -> l.contains("activation step sizes learned (LSQ)")), log.toString());
            assertNotEquals(0, log.size());
        }
    }
}
