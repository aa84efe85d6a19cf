package org.qat4j.onnx;

import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.model.IntegerModel;

final class QcdqFormWriter {
    private final ExactFormWriter exact;

    QcdqFormWriter(OnnxGraph g, IntegerModel model, OverflowCertificate cert) {
        this.exact = new ExactFormWriter(g, model, cert);
    }

    static String refusal(IntegerModel model, OverflowCertificate cert) {
        return "QCDQ is not written yet";
    }

    ExactFormWriter.Value writeOps(String input) {
        return exact.writeOps(input);
    }
}
