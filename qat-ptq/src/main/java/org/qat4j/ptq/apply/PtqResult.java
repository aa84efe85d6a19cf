package org.qat4j.ptq.apply;

import org.qat4j.core.export.BitExactReport;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.model.IntegerModel;

/**
 * What a PTQ run ends with: the quantized twin, its exported integer model, the overflow certificate, the
 * independent checker's report, and the bit-exact comparison of twin and integer model.
 *
 * @param quantized the quantized twin and what its quantization measured
 * @param model the integer model, computing exactly what the twin computes
 * @param certificate the prover's certificate
 * @param check the independent checker's verdict on model + certificate
 * @param bitExact twin vs integer runtime on calibration, random and adversarial inputs
 */
public record PtqResult(
        QuantizedTwin quantized,
        IntegerModel model,
        OverflowCertificate certificate,
        CheckReport check,
        BitExactReport bitExact) {

    /** True when the certificate holds and the integer model equals the twin on every compared input. */
    public boolean verified() {
        return check.holds() && bitExact.exact();
    }
}
