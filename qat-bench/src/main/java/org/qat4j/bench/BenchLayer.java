package org.qat4j.bench;

import org.qat4j.runtime.model.Shapes;

/**
 * One weight layer of a benchmark network: a dense layer of {@code units} outputs, or a square 2-D
 * convolution with {@code units} filters, {@code kernel × kernel} taps, stride and zero padding.
 * Every layer but the last is followed by ReLU.
 */
record BenchLayer(boolean conv, int units, int kernel, int stride, int padding) {

    static BenchLayer dense(int units) {
        return new BenchLayer(false, units, 1, 1, 0);
    }

    static BenchLayer conv(int filters, int kernel, int stride, int padding) {
        return new BenchLayer(true, filters, kernel, stride, padding);
    }

    /** Output side length of a convolution on an input of side {@code in} ({@link Shapes#windowOutputLength}). */
    int outSide(int in) {
        return (int) Shapes.windowOutputLength(in, kernel, stride, padding, 1);
    }
}
