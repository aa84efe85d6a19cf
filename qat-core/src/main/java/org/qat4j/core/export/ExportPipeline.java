package org.qat4j.core.export;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelReader;
import org.qat4j.runtime.model.ModelWriter;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * The one path from a trained network and its exported integer model to a verified certificate:
 * <ol>
 *   <li>the DJL forward type: FLOAT64 when a certified accumulator needs more than 24 bits (float32 sums
 *       integers exactly only up to 2^24), the network's parameters then cast to FLOAT64;</li>
 *   <li>optional test vectors (inputs and the network's outputs) recorded in the model, so that the model
 *       file alone re-checks bit exactness without DJL;</li>
 *   <li>the model written atomically and read back, so that everything after concerns the file;</li>
 *   <li>the overflow certificate proved by exact interval arithmetic (A2Q arXiv 2308.13504 §3, HGQ arXiv
 *       2405.00645 §10) and written;</li>
 *   <li>the independent {@link CertificateChecker} re-deriving it from the two files;</li>
 *   <li>the caller's {@link BitExactCheck} comparing network and integer runtime bit for bit.</li>
 * </ol>
 * Without files the model and certificate stay in memory and the checker reads those. A certificate
 * that fails is reported, not thrown: the caller decides.
 *
 * <pre>{@code
 * IntegerModel exported = method.export(block, sampleShape, "my run", seed, Map.of());
 * VerifiedExport<BitExactReport> v = ExportPipeline.builder().optFiles(dir.resolve("model.json"),
 *         dir.resolve("certificate.json")).build().run(block, exported, manager, BitExactCheck.generated(5000, 5000, seed));
 * }</pre>
 */
public final class ExportPipeline {

    private final Path modelFile;
    private final Path certificateFile;
    private final float[] testVectorInputs;
    private final int testVectorCount;
    private final int batchSize;
    private final Consumer<CheckReport> onChecked;

    private ExportPipeline(Builder b) {
        this.modelFile = b.modelFile;
        this.certificateFile = b.certificateFile;
        this.testVectorInputs = b.testVectorInputs;
        this.testVectorCount = b.testVectorCount;
        this.batchSize = b.batchSize;
        this.onChecked = b.onChecked;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the pipeline.
     *
     * @param block the trained, prepared network (its parameters are cast to FLOAT64 when needed)
     * @param exported the integer model exported from {@code block}
     * @param manager a manager for the DJL forward
     * @param check the bit-exact comparison
     * @throws IOException if a file cannot be written or read back
     */
    public <R> VerifiedExport<R> run(Block block, IntegerModel exported, NDManager manager, BitExactCheck<R> check)
            throws IOException {
        Objects.requireNonNull(check, "check");
        DataType forward = BitExactHarness.requiredForwardType(exported);
        if (forward == DataType.FLOAT64) {
            Float64Parameters.cast(block);
        }
        IntegerModel model = exported;
        if (testVectorCount > 0) {
            model = harness(block, model, forward).withTestVectors(manager, testVectorInputs, testVectorCount);
        }
        OverflowCertificate certificate;
        CheckReport report;
        if (modelFile != null) {
            ModelWriter.write(model, modelFile);
            model = ModelReader.read(modelFile);
            certificate = certify(model, certificateFile);
            report = CertificateChecker.check(modelFile, certificateFile);
        } else {
            certificate = CertificateProver.prove(model);
            report = CertificateChecker.check(model, certificate);
        }
        onChecked.accept(report);
        R bitExact = check.run(harness(block, model, forward), manager);
        return new VerifiedExport<>(model, modelFile, certificate, certificateFile, report, forward, bitExact);
    }

    /** Proves the overflow certificate of {@code model} and writes it to {@code certificateFile} (atomically). */
    public static OverflowCertificate certify(IntegerModel model, Path certificateFile) throws IOException {
        OverflowCertificate certificate = CertificateProver.prove(model);
        CertificateWriter.write(certificate, certificateFile);
        return certificate;
    }

    private BitExactHarness harness(Block block, IntegerModel model, DataType forward) {
        return BitExactHarness.builder()
                .setBlock(block)
                .setModel(model)
                .optForwardType(forward)
                .optBatchSize(batchSize)
                .build();
    }

    /** Builder: every setting optional; without {@code optFiles} nothing is written. */
    public static final class Builder {
        private Path modelFile;
        private Path certificateFile;
        private float[] testVectorInputs;
        private int testVectorCount;
        private int batchSize = 256;
        private Consumer<CheckReport> onChecked = r -> {};

        private Builder() {}

        /** Writes the model and its certificate to these files (both required together). */
        public Builder optFiles(Path modelFile, Path certificateFile) {
            this.modelFile = Objects.requireNonNull(modelFile, "modelFile");
            this.certificateFile = Objects.requireNonNull(certificateFile, "certificateFile");
            if (modelFile
                    .toAbsolutePath()
                    .normalize()
                    .equals(certificateFile.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("model and certificate file are the same: " + modelFile);
            }
            return this;
        }

        /** Records the first {@code count} samples of {@code inputs} (sample-major) and the network's outputs in the model. */
        public Builder optTestVectors(float[] inputs, int count) {
            if (count < 0) {
                throw new IllegalArgumentException("test vector count must be >= 0, got " + count);
            }
            this.testVectorInputs = Objects.requireNonNull(inputs, "inputs");
            this.testVectorCount = count;
            return this;
        }

        /** Samples per DJL forward and runtime batch (default 256). */
        public Builder optBatchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + n);
            }
            this.batchSize = n;
            return this;
        }

        /** Called with the checker's report before the bit-exact comparison starts (e.g. to print it). */
        public Builder optOnChecked(Consumer<CheckReport> onChecked) {
            this.onChecked = Objects.requireNonNull(onChecked, "onChecked");
            return this;
        }

        /** Builds the pipeline. */
        public ExportPipeline build() {
            return new ExportPipeline(this);
        }
    }
}
