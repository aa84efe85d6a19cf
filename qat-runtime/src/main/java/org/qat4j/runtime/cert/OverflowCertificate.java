package org.qat4j.runtime.cert;

import java.util.List;
import org.qat4j.runtime.model.Provenance;

/**
 * A proof that no accumulator of an integer model can overflow for any input: per accumulating op
 * a {@link LayerCertificate}, per activation quantizer its overflow mode. Written by
 * {@link CertificateProver}; verified from the model file alone by {@link CertificateChecker}.
 *
 * @param modelProvenance provenance of the model it speaks about
 * @param proverVersion library version of the prover
 * @param layers accumulating ops in model order
 * @param quantizers activation quantizers in model order
 */
public record OverflowCertificate(
        Provenance modelProvenance,
        String proverVersion,
        List<LayerCertificate> layers,
        List<QuantizerCertificate> quantizers) {
    /** Value of the {@code format} field. */
    public static final String FORMAT = "qat4j-overflow-certificate";
    /** Version written and read. */
    public static final int VERSION = 1;

    /** Whether every layer holds. */
    public boolean holds() {
        return layers.stream().allMatch(LayerCertificate::holds);
    }

    /** The certificate of one layer. */
    public LayerCertificate layer(String name) {
        return layers.stream()
                .filter(l -> l.layer().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no layer '" + name + "' in the certificate"));
    }
}
