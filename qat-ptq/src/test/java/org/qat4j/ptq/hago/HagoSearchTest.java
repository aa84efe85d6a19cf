package org.qat4j.ptq.hago;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.ptq.multipoint.MultipointQuantizer;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.hardware.HardwareCheck;
import org.qat4j.runtime.hardware.HardwareDescription;
import org.qat4j.runtime.prove.CertificateProver;

/** A separable 3-class problem, a float 16-12-3 MLP fitted by hand, searched within two hardware descriptions. */
class HagoSearchTest {
    private static final Random RND = new Random(3);
    private static final double[][] X = new double[300][16];
    private static final int[] Y = new int[300];
    private static final List<MultipointQuantizer.Layer> MLP;

    static {
        double[][] centers = new double[3][16];
        for (double[] c : centers) {
            for (int j = 0; j < 16; j++) {
                c[j] = RND.nextGaussian() * 2;
            }
        }
        for (int s = 0; s < X.length; s++) {
            Y[s] = s % 3;
            for (int j = 0; j < 16; j++) {
                X[s][j] = centers[Y[s]][j] + RND.nextGaussian() * 0.5;
            }
        }
        // hidden units: random projections; output: a least-squares-free nearest-centre readout through the hidden
        // layer
        double[][] w1 = new double[12][16];
        for (double[] row : w1) {
            for (int j = 0; j < 16; j++) {
                row[j] = RND.nextGaussian() * 0.3;
            }
        }
        double[][] w2 = new double[3][12];
        for (int c = 0; c < 3; c++) {
            for (int h = 0; h < 12; h++) {
                double a = 0;
                for (int j = 0; j < 16; j++) {
                    a += w1[h][j] * centers[c][j];
                }
                w2[c][h] = Math.max(0, a);
            }
        }
        MLP = List.of(
                new MultipointQuantizer.Layer(w1, new double[12]), new MultipointQuantizer.Layer(w2, new double[3]));
    }

    private static HardwareDescription hw(int acc) {
        return HardwareDescription.parse(
                "{\"format\": \"qat4j-hardware\", \"formatVersion\": 1, \"name\": \"acc" + acc + "\", \"ops\": "
                        + "{\"multipoint_dense\": {\"inputBits\": [2, 3, 4, 6, 8], \"weightBits\": [2, 3, 4, 6, 8], \"accumulatorBits\": "
                        + acc + "}}}");
    }

    private static HagoSearch search(HardwareDescription hw) {
        return new HagoSearch(MLP, X, Y, hw, MultipointQuantizer.provenance("test", 1, 0, 0, 0, Map.of()));
    }

    @Test
    void theChosenModelFitsTheHardwareAndKeepsTheAccuracy() {
        for (int acc : new int[] {32, 13}) {
            HardwareDescription hw = hw(acc);
            HagoSearch.Outcome o = search(hw).run(0.02, line -> {});
            assertTrue(o.chosen().feasible());
            assertTrue(
                    o.chosen().calibrationAccuracy() >= o.floatCalibrationAccuracy() - 0.02,
                    o.path().toString());
            assertTrue(o.floatCalibrationAccuracy() > 0.9, "float " + o.floatCalibrationAccuracy());
            String cert =
                    CertificateWriter.toJson(CertificateProver.prove(o.result().model()));
            HardwareCheck.Report r = HardwareCheck.check(o.result().model(), cert, hw);
            assertTrue(r.fits(), acc + ": " + r.problems());
            // the search lowered something: fewer BOPs than where it started
            assertTrue(o.chosen().bops() < o.path().get(0).bops(), o.path().toString());
        }
    }

    @Test
    void aDescriptionNoWidthOfWhichFitsIsRefusedNamingTheLimit() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> search(hw(4)).run(0.02, line -> {}));
        assertTrue(
                e.getMessage()
                                .startsWith(
                                        "no widths of the hardware description keep [0, 1] within its accumulator limit of 4 bits")
                        || e.getMessage()
                                .startsWith(
                                        "no widths of the hardware description keep [0] within its accumulator limit of 4 bits"),
                e.getMessage());
        IllegalArgumentException none = assertThrows(
                IllegalArgumentException.class,
                () -> search(HardwareDescription.parse(
                        "{\"format\": \"qat4j-hardware\", \"formatVersion\": 1, \"name\": \"d\", \"ops\": {\"dense\": {\"inputBits\": [8], "
                                + "\"weightBits\": [8], \"accumulatorBits\": 32}}}")));
        assertEquals(
                "the hardware 'd' has no rule for multipoint_dense (it describes [dense]): add one to search its widths",
                none.getMessage());
    }
}
