package org.qat4j.ptq.multipoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.ptq.apply.MultipointForward;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.prove.CertificateProver;

class MultipointQuantizerTest {

    private static double[][] gaussian(Random rnd, int n, int k, double s) {
        double[][] x = new double[n][k];
        for (double[] row : x) {
            for (int j = 0; j < k; j++) {
                row[j] = rnd.nextGaussian() * s;
            }
        }
        return x;
    }

    private static List<MultipointQuantizer.Layer> mlp(Random rnd) {
        return List.of(
                new MultipointQuantizer.Layer(gaussian(rnd, 12, 20, 0.3), gaussian(rnd, 1, 12, 0.1)[0]),
                new MultipointQuantizer.Layer(gaussian(rnd, 3, 12, 0.5), gaussian(rnd, 1, 3, 0.1)[0]));
    }

    private static MultipointQuantizer.Result quantize(int bits, double budget) {
        Random rnd = new Random(4);
        return MultipointQuantizer.quantize(
                mlp(rnd),
                gaussian(rnd, 128, 20, 1),
                bits,
                6,
                budget,
                MultipointQuantizer.provenance("test", 1, bits, 6, budget, Map.of()));
    }

    @Test
    void budgetAddsPointsAndTheModelIsCertified() {
        MultipointQuantizer.Result plain = quantize(3, 0);
        MultipointQuantizer.Result more = quantize(3, 0.5);
        assertArrayEquals(new int[] {12, 3}, plain.pointsPerLayer());
        assertArrayEquals(new int[] {18, 4}, more.pointsPerLayer());
        assertEquals((18 * 20 + 4 * 12) * 3L, more.weightBits());
        for (MultipointQuantizer.Result r : new MultipointQuantizer.Result[] {plain, more}) {
            assertTrue(CertificateChecker.check(r.model(), CertificateProver.prove(r.model()))
                    .holds());
            MultipointDenseOp mp1 = (MultipointDenseOp) r.model().op("mp1");
            long max = 0;
            for (long m : mp1.multipliers()) {
                max = Math.max(max, Math.abs(m));
            }
            // the largest multiplier uses the full 16 bits
            assertTrue(max >= 1 << 15 && max < 1 << 16, "largest multiplier " + max);
        }
    }

    @Test
    void djlFloat64ForwardEqualsTheRuntimeBitForBit() {
        IntegerModel m = quantize(4, 0.5).model();
        Random rnd = new Random(9);
        int batch = 300;
        float[] x = new float[batch * 20];
        for (int t = 0; t < x.length; t++) {
            x[t] = rnd.nextInt(10) == 0 ? (rnd.nextBoolean() ? 50f : -50f) : (float) rnd.nextGaussian() * 2;
        }
        float[] java = IntegerRuntime.compile(m).runFloat(x, batch);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] djl = MultipointForward.run(m, manager, x, batch);
            for (int e = 0; e < java.length; e++) {
                assertEquals(Float.floatToRawIntBits(java[e]), Float.floatToRawIntBits(djl[e]), "element " + e);
            }
        }
    }
}
