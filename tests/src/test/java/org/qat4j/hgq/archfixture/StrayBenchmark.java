package org.qat4j.hgq.archfixture;

/** Breaks "benchmarks live in qat-bench": a benchmark in a library module's package. */
public final class StrayBenchmark {
    private StrayBenchmark() {}
}
