package org.qat4j.bench;

/** One way to run a network on a batch of sample-major float32 inputs; returns the float32 outputs. */
interface Contender extends AutoCloseable {
    String name();

    float[] run(float[] input, int batch) throws Exception;

    @Override
    default void close() throws Exception {}
}
