package org.qat4j.ptq.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.bound.A2qBounds;
import org.qat4j.runtime.bound.ChannelSums;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.ModelOp;

class PostTrainingQuantizerTest {

    private static SmallFloatMlp mlp;
    private static CalibrationSet calibration;

    @BeforeAll
    static void train() {
        mlp = new SmallFloatMlp(3, 2048);
        calibration = mlp.calibration(512);
    }

    @AfterAll
    static void close() {
        mlp.close();
    }

    private static PtqResult run(PtqMethod method, int w, int a, Integer p, NDManager manager) {
        PtqConfig config = PtqConfig.builder()
                .setMethod(method)
                .setWeightBits(w)
                .setActivationBits(a)
                .optAccumulatorBits(p)
                .optIterations(300)
                .optPowellEvaluations(80)
                .build();
        return PostTrainingQuantizer.quantizeAndVerify(mlp.model.getBlock(), manager, calibration, config, s -> {});
    }

    @Test
    void everyMethodEndsInACertifiedBitExactIntegerModel() {
        Map<PtqMethod, Double> loss = new EnumMap<>(PtqMethod.class);
        for (PtqMethod m : PtqMethod.values()) {
            try (NDManager manager = mlp.model.getNDManager().newSubManager()) {
                PtqResult r = run(m, 4, m == PtqMethod.SPARQ ? 8 : 4, m.needsAccumulator() ? 14 : null, manager);
                assertTrue(r.check().holds(), m + ": " + r.check().problems());
                assertTrue(r.bitExact().exact(), m + ": " + r.bitExact());
                assertTrue(
                        r.bitExact().samples() >= 1512, m + ": " + r.bitExact().samples());
                loss.put(m, r.quantized().calibrationLoss());
                System.out.printf(
                        "%-15s W4A4 calibration loss %.4f accuracy %.4f%n",
                        m, r.quantized().calibrationLoss(), r.quantized().calibrationAccuracy());
            }
        }
        // LAPQ minimizes this very loss from a start that includes min-max and MSE-like Lp clips
        assertTrue(loss.get(PtqMethod.LAPQ) <= loss.get(PtqMethod.MINMAX_TENSOR), loss.toString());
    }

    @Test
    void axeDeclaresPAndItsCertificateProvesIt() {
        try (NDManager manager = mlp.model.getNDManager().newSubManager()) {
            int p = 12;
            PtqResult r = run(PtqMethod.AXE, 4, 4, p, manager);
            assertEquals(3, r.quantized().constrained().size());
            assertTrue(r.check().holds(), r.check().problems().toString());
            for (ModelOp op : r.model().ops()) {
                if (op instanceof DenseOp d) {
                    assertEquals(p, d.accumulatorBits());
                    int k = d.inFeatures();
                    for (int c = 0; c < d.outFeatures(); c++) {
                        long[] row = new long[k];
                        for (int j = 0; j < k; j++) {
                            row[j] = d.weights()[c * k + j];
                        }
                        ChannelSums s = ChannelSums.of(row);
                        assertTrue(A2qBounds.satisfiesA2qPlus(
                                s.posSum(), s.negSum(), p, d.constraint().inputBits()));
                    }
                }
            }
            for (CheckReport.Row row : r.check().rows()) {
                if (row.op().equals("dense")) {
                    assertEquals(p, row.declaredBits(), row.toString());
                    assertTrue(row.minimalBits() <= p, row.toString());
                }
            }
        }
    }

    @Test
    void optionsAreValidatedByName() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PtqConfig.builder()
                        .setMethod(PtqMethod.AXE)
                        .setWeightBits(4)
                        .setActivationBits(4)
                        .build());
        assertTrue(e.getMessage().contains("--acc-bits"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> PtqConfig.builder()
                        .setMethod(PtqMethod.MSE)
                        .setWeightBits(1)
                        .setActivationBits(4)
                        .build());
        assertTrue(e.getMessage().contains("--weight-bits") && e.getMessage().contains("1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PtqMethod.parse("optq"));
        assertTrue(e.getMessage().contains("lapq"), e.getMessage());
    }
}
