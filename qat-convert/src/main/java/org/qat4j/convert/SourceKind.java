package org.qat4j.convert;

/** The float DJL blocks the converter understands. */
enum SourceKind {
    LINEAR,
    CONV1D,
    CONV2D,
    BATCH_NORM,
    RELU,
    FLATTEN,
    POOL,
    PARALLEL,
    /** {@code QatAdd}: the element-wise sum after a ParallelBlock that gathers its branches. */
    ADD;

    boolean isLayer() {
        return this == LINEAR || this == CONV1D || this == CONV2D;
    }
}
