package org.qat4j.runtime.assertion;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.cert.LayerCertificate;
import org.qat4j.runtime.model.A2qConstraint;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.TestModels;
import org.qat4j.runtime.prove.CertificateProver;

class CertificateAssertionsTest {

    static List<IntegerModel> models() {
        return List.of(
                AccumulatorWidths.deriveMinimal(TestModels.mlpFixed(1, 16, 64, 32, 32, 5)),
                AccumulatorWidths.deriveMinimal(TestModels.cnnFixed(3)),
                AccumulatorWidths.deriveMinimal(TestModels.conv1dFixed(4)),
                TestModels.mlpA2q(5, A2qConstraint.Variant.A2Q, 16, 20, 12, 4),
                TestModels.mlpA2q(6, A2qConstraint.Variant.A2Q_PLUS, 14, 20, 12, 4),
                TestModels.cnnA2qFloatAvgPool(10),
                TestModels.mlpA2qResidual(12));
    }

    @Test
    void certifiedModelsPassEveryAssertion() {
        for (IntegerModel m : models()) {
            CertificateAssertions.assertCertificateHolds(m, CertificateProver.prove(m));
            CertificateAssertions.assertAllAccumulatorsFitDeclared(m);
        }
    }

    /** Worst-case inputs in a simulated P-bit two's-complement register never wrap (three orders per channel, both senses). */
    @Test
    void worstCaseInputsNeverWrapTheDeclaredRegister() {
        long runs = 0;
        for (IntegerModel m : models()) {
            for (ModelOp op : m.ops()) {
                if (op instanceof DenseOp || op instanceof ConvOp) {
                    runs += CertificateAssertions.assertWorstCaseDoesNotWrap(m, op.name());
                }
            }
        }
        assertTrue(runs > 500, "runs " + runs);
    }

    /** The same simulation with one bit less wraps for a derived-width layer: the empirical check can fail. */
    @Test
    void oneBitLessWraps() {
        IntegerModel m = models().get(0);
        DenseOp d = (DenseOp) m.op("dense1");
        IntegerModel small =
                AccumulatorWidths.replace(m, "dense1", AccumulatorWidths.forceBits(d, d.accumulatorBits() - 1));
        AssertionError e = assertThrows(
                AssertionError.class, () -> CertificateAssertions.assertWorstCaseDoesNotWrap(small, "dense1"));
        assertTrue(e.getMessage().contains("layer 'dense1' channel"), e.getMessage());
        assertTrue(e.getMessage().contains("register"), e.getMessage());
    }

    @Test
    void failureMessagesNameLayerChannelIntervalAndBits() {
        IntegerModel m = models().get(0);
        LayerCertificate l = CertificateProver.prove(m).layer("dense2");
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> CertificateAssertions.assertAccumulatorsFit(m, "dense2", l.minimalBits() - 1));
        String msg = e.getMessage();
        assertTrue(msg.contains("layer 'dense2' channel "), msg);
        assertTrue(
                msg.matches("(?s).*partial sums range over \\[-?\\d+, \\d+\\], which needs \\d+ signed bits > "
                        + (l.minimalBits() - 1) + ".*"),
                msg);
        CertificateAssertions.assertAccumulatorsFit(m, "dense2", l.minimalBits());

        DenseOp d = (DenseOp) m.op("dense2");
        IntegerModel broken =
                AccumulatorWidths.replace(m, "dense2", AccumulatorWidths.forceBits(d, d.accumulatorBits() - 2));
        AssertionError e2 = assertThrows(
                AssertionError.class,
                () -> CertificateAssertions.assertCertificateHolds(broken, CertificateProver.prove(broken)));
        assertTrue(e2.getMessage().contains("FAILS layer 'dense2' channel"), e2.getMessage());
        assertTrue(
                e2.getMessage().contains("the declared accumulator has " + (d.accumulatorBits() - 2)), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CertificateAssertions.assertAccumulatorsFit(m, "relu1", 8));
    }
}
