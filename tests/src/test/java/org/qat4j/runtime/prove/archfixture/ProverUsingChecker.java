package org.qat4j.runtime.prove.archfixture;

import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.model.IntegerModel;

/** Breaks "the prover never uses the checker" on purpose (test fixture of ArchitectureRulesSelfTest). */
public final class ProverUsingChecker {
    private ProverUsingChecker() {}

    static CheckReport reuse(IntegerModel model, String certificateJson) {
        return CertificateChecker.check(model, certificateJson);
    }
}
