package org.qat4j.runtime.check.archfixture;

import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.prove.CertificateProver;

/** Breaks "the checker never uses the prover" on purpose (test fixture of ArchitectureRulesSelfTest). */
public final class CheckerUsingProver {
    private CheckerUsingProver() {}

    static OverflowCertificate reuse(IntegerModel model) {
        return CertificateProver.prove(model);
    }
}
