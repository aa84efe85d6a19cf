package org.qat4j.core.engine;

/**
 * Exact integer 2-D convolution (cross-correlation, as in PyTorch) and its two gradients, in plain Java:
 * {@code y[n,o,p,q] = Σ_{c,a,b} x[n,c,p·s+a·d−pad, q·s+b·d−pad]·w[o,c,a,b]} (zero outside the input),
 * {@code ∂(Σ y·g)/∂w} and {@code ∂(Σ y·g)/∂x}. The reference that {@link ConvolutionGradientCheck} holds
 * the engine to; all three are one loop nest, so they cannot disagree about which input a tap reads.
 */
final class ReferenceConvolution {

    private ReferenceConvolution() {}

    static long[] forward(ConvCase c, int[] x, int[] w) {
        long[] y = new long[c.outputSize()];
        visit(c, (xi, wi, yi) -> y[yi] = Math.addExact(y[yi], (long) x[xi] * w[wi]));
        return y;
    }

    static long[] kernelGradient(ConvCase c, int[] x, int[] g) {
        long[] dw = new long[c.kernelSize()];
        visit(c, (xi, wi, yi) -> dw[wi] = Math.addExact(dw[wi], (long) g[yi] * x[xi]));
        return dw;
    }

    static long[] inputGradient(ConvCase c, int[] w, int[] g) {
        long[] dx = new long[c.inputSize()];
        visit(c, (xi, wi, yi) -> dx[xi] = Math.addExact(dx[xi], (long) g[yi] * w[wi]));
        return dx;
    }

    /** Calls {@code tap} once for every (input, kernel, output) triple of the convolution. */
    private static void visit(ConvCase c, Tap tap) {
        int ho = c.outputHeight();
        int wo = c.outputWidth();
        for (int n = 0; n < c.batch(); n++) {
            for (int o = 0; o < c.outChannels(); o++) {
                for (int p = 0; p < ho; p++) {
                    for (int q = 0; q < wo; q++) {
                        int yi = ((n * c.outChannels() + o) * ho + p) * wo + q;
                        for (int ch = 0; ch < c.inChannels(); ch++) {
                            for (int a = 0; a < c.kernel(); a++) {
                                int i = p * c.stride() + a * c.dilation() - c.pad();
                                if (i < 0 || i >= c.height()) {
                                    continue;
                                }
                                for (int b = 0; b < c.kernel(); b++) {
                                    int j = q * c.stride() + b * c.dilation() - c.pad();
                                    if (j < 0 || j >= c.width()) {
                                        continue;
                                    }
                                    int xi = ((n * c.inChannels() + ch) * c.height() + i) * c.width() + j;
                                    int wi = ((o * c.inChannels() + ch) * c.kernel() + a) * c.kernel() + b;
                                    tap.accept(xi, wi, yi);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @FunctionalInterface
    private interface Tap {
        void accept(int inputIndex, int kernelIndex, int outputIndex);
    }
}
