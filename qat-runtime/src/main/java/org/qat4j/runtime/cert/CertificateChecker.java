package org.qat4j.runtime.cert;

import java.io.IOException;
import java.nio.file.Path;
import org.qat4j.runtime.model.IntegerModel;

/**
 * Moved: the independent checker lives in its own package, {@link org.qat4j.runtime.check.CertificateChecker},
 * so that it provably shares no code with the prover. This class only forwards.
 *
 * @deprecated use {@link org.qat4j.runtime.check.CertificateChecker}
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public final class CertificateChecker {
    /** Default cap on the certificate file size: 64 MiB. */
    public static final long MAX_CERTIFICATE_BYTES = org.qat4j.runtime.check.CertificateChecker.MAX_CERTIFICATE_BYTES;

    private CertificateChecker() {}

    /** @deprecated use {@link org.qat4j.runtime.check.CertificateChecker#check(Path, Path)} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static CheckReport check(Path modelFile, Path certificateFile) throws IOException {
        return org.qat4j.runtime.check.CertificateChecker.check(modelFile, certificateFile);
    }

    /** @deprecated use {@link org.qat4j.runtime.check.CertificateChecker#check(IntegerModel, String)} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static CheckReport check(IntegerModel model, String certificateJson) {
        return org.qat4j.runtime.check.CertificateChecker.check(model, certificateJson);
    }

    /** @deprecated use {@link org.qat4j.runtime.check.CertificateChecker#check(IntegerModel, OverflowCertificate)} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static CheckReport check(IntegerModel model, OverflowCertificate certificate) {
        return org.qat4j.runtime.check.CertificateChecker.check(model, certificate);
    }
}
