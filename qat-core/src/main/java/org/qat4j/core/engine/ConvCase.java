package org.qat4j.core.engine;

import ai.djl.ndarray.types.Shape;
import org.qat4j.runtime.model.Shapes;

/**
 * One square-kernel 2-D convolution geometry of {@link ConvolutionGradientCheck}: input
 * {@code (batch, inChannels, height, width)}, kernel {@code (outChannels, inChannels, k, k)}, output side
 * {@link Shapes#windowOutputLength}.
 */
record ConvCase(
        int batch,
        int inChannels,
        int height,
        int width,
        int outChannels,
        int kernel,
        int pad,
        int stride,
        int dilation) {

    int outputHeight() {
        return (int) Shapes.windowOutputLength(height, kernel, stride, pad, dilation);
    }

    int outputWidth() {
        return (int) Shapes.windowOutputLength(width, kernel, stride, pad, dilation);
    }

    int inputSize() {
        return batch * inChannels * height * width;
    }

    int kernelSize() {
        return outChannels * inChannels * kernel * kernel;
    }

    int outputSize() {
        return batch * outChannels * outputHeight() * outputWidth();
    }

    Shape inputShape() {
        return new Shape(batch, inChannels, height, width);
    }

    Shape kernelShape() {
        return new Shape(outChannels, inChannels, kernel, kernel);
    }

    Shape outputShape() {
        return new Shape(batch, outChannels, outputHeight(), outputWidth());
    }

    /** Deterministic small integers in [−3, 3]: every sum of the check stays an exact float32 integer. */
    int[] integers(int n, int salt) {
        int[] v = new int[n];
        long s = salt * 0x9E3779B97F4A7C15L + inputSize();
        for (int j = 0; j < n; j++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            v[j] = (int) Math.floorMod(s >>> 33, 7L) - 3;
        }
        return v;
    }

    @Override
    public String toString() {
        return "conv " + inChannels + "→" + outChannels + " " + kernel + "×" + kernel + " on " + batch + "×" + height
                + "×" + width + " (pad " + pad + ", stride " + stride + ", dilation " + dilation + ")";
    }
}
