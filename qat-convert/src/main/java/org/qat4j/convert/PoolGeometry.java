package org.qat4j.convert;

import ai.djl.ndarray.types.Shape;

/**
 * Kind and geometry of a DJL pooling block: {@code out = pool over windows of size k, stride s,
 * zero/−∞ padding p} per spatial axis (ceil mode off; average pooling counts padding).
 *
 * @param max true for max pooling, false for average pooling
 * @param window k per axis
 * @param stride s per axis
 * @param padding p per axis
 */
record PoolGeometry(boolean max, Shape window, Shape stride, Shape padding) {

    @Override
    public String toString() {
        return (max ? "max" : "avg") + " pool window " + window + " stride " + stride + " padding " + padding;
    }
}
