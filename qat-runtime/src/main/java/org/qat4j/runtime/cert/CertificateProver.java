package org.qat4j.runtime.cert;

import org.qat4j.runtime.model.IntegerModel;

/**
 * Moved: the prover lives in its own package, {@link org.qat4j.runtime.prove.CertificateProver}, so that
 * the checker provably shares no code with it. This class only forwards.
 *
 * @deprecated use {@link org.qat4j.runtime.prove.CertificateProver}
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public final class CertificateProver {
    private CertificateProver() {}

    /** @deprecated use {@link org.qat4j.runtime.prove.CertificateProver#prove(IntegerModel)} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static OverflowCertificate prove(IntegerModel model) {
        return org.qat4j.runtime.prove.CertificateProver.prove(model);
    }
}
