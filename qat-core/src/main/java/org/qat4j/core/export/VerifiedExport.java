package org.qat4j.core.export;

import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.model.IntegerModel;

/**
 * What {@link ExportPipeline#run} produced and established: the integer model as written (with its
 * recorded test vectors; read back from the file when one was written), the overflow certificate the
 * prover wrote (A2Q arXiv 2308.13504 §3, HGQ arXiv 2405.00645 §10), the independent checker's report
 * on it, the data type of the DJL forward the comparison ran in, and the bit-exact report.
 *
 * @param model the integer model (read back from {@code modelFile} when written)
 * @param modelFile where the model was written, or null
 * @param certificate the prover's certificate
 * @param certificateFile where the certificate was written, or null
 * @param check the independent checker's report
 * @param forwardType FLOAT32, or FLOAT64 when an accumulator needs more than 24 bits
 * @param bitExact the bit-exact comparison's report
 * @param <R> the bit-exact report's type
 */
public record VerifiedExport<R>(
        IntegerModel model,
        Path modelFile,
        OverflowCertificate certificate,
        Path certificateFile,
        CheckReport check,
        DataType forwardType,
        R bitExact) {

    /** Whether the independent checker accepted the certificate (every accumulator provably fits). */
    public boolean certified() {
        return check.holds();
    }
}
