package org.qat4j.core.export;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bit-exact comparison step of {@link ExportPipeline}: given a {@link BitExactHarness} built on the
 * trained network and the integer model as written (forward type already chosen), compares whatever
 * inputs the caller trusts and returns its report. The integer model must compute exactly what was
 * trained (HGQ arXiv 2405.00645 §10, A2Q arXiv 2308.13504 §3): reports count bit-pattern mismatches,
 * never a tolerance.
 *
 * @param <R> the report type
 */
@FunctionalInterface
public interface BitExactCheck<R> {

    /** Runs the comparison. */
    R run(BitExactHarness harness, NDManager manager);

    /** {@code nRandom} random and {@code nAdversarial} adversarial inputs from the model's input quantizer. */
    static BitExactCheck<BitExactReport> generated(int nRandom, int nAdversarial, long seed) {
        return (h, m) -> h.compareGenerated(m, nRandom, nAdversarial, seed);
    }

    /** The given inputs ({@code inputs}: sample-major, one row per sample) under the source name {@code source}, then generated ones. */
    static BitExactCheck<BitExactReport> inputsAndGenerated(
            String source, float[] inputs, int nRandom, int nAdversarial, long seed) {
        return (h, m) -> {
            Map<String, float[]> sources = new LinkedHashMap<>();
            sources.put(source, inputs);
            BitExactReport data = h.compareAll(m, sources);
            BitExactReport generated = h.compareGenerated(m, nRandom, nAdversarial, seed);
            return BitExactReport.concat(data, generated);
        };
    }
}
