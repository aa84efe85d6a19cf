package org.qat4j.tests.archfixture;

import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.model.IntegerModel;

/** Calls a deprecated forwarder on purpose (test fixture of ArchitectureRulesSelfTest). */
public final class UsesCertForwarder {
    private UsesCertForwarder() {}

    @SuppressWarnings("removal")
    static OverflowCertificate prove(IntegerModel model) {
        return org.qat4j.runtime.cert.CertificateProver.prove(model);
    }
}
