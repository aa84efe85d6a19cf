package org.qat4j.ptq.apply;

import java.util.Map;
import org.qat4j.core.export.BitExactReport;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.model.IntegerModel;

/**
 * What a PTQ run ends with: the quantized twin, its exported integer model, the overflow certificate, the
 * independent checker's report, and the bit-exact comparison of twin and integer model.
 *
 * @param twin the quantized twin (DJL blocks; can be evaluated, saved or fine-tuned)
 * @param model the integer model, computing exactly what the twin computes
 * @param certificate the prover's certificate
 * @param check the independent checker's verdict on model + certificate
 * @param bitExact twin vs integer runtime on calibration, random and adversarial inputs
 * @param calibrationLoss cross-entropy of the twin on the calibration set
 * @param calibrationAccuracy accuracy of the twin on the calibration set
 * @param seconds wall time of the quantization (without export and checks)
 * @param constrainedLayers per constrained accumulating op name, its declared P (AXE)
 */
public record PtqResult(PtqTwin twin, IntegerModel model, OverflowCertificate certificate, CheckReport check,
        BitExactReport bitExact, double calibrationLoss, double calibrationAccuracy, double seconds,
        Map<String, Integer> constrainedLayers) {

    /** True when the certificate holds and the integer model equals the twin on every compared input. */
    public boolean verified() {
        return check.holds() && bitExact.exact();
    }
}
