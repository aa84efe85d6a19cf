package org.qat4j.runtime.model;

/**
 * Index arithmetic of an unpadded 1-D or 2-D pooling window over a channels-first tensor: which
 * input elements (flat indices) feed output element {@code e}.
 */
public final class PoolGeometry {
    private final int[] in;
    private final int[] out;
    private final int[] window;
    private final int[] stride;

    /** Geometry for per-sample input and output shapes. */
    public PoolGeometry(int[] inShape, int[] outShape, int[] window, int[] stride) {
        this.in = inShape.clone();
        this.out = outShape.clone();
        this.window = window.clone();
        this.stride = stride.clone();
    }

    /** Flat input indices of the window of flat output index {@code e}, in row-major window order. */
    public int[] window(int e) {
        if (window.length == 1) {
            int ol = out[1];
            int c = e / ol;
            int x = e % ol;
            int[] idx = new int[window[0]];
            for (int t = 0; t < window[0]; t++) {
                idx[t] = c * in[1] + x * stride[0] + t;
            }
            return idx;
        }
        int oh = out[1];
        int ow = out[2];
        int c = e / (oh * ow);
        int y = (e / ow) % oh;
        int x = e % ow;
        int[] idx = new int[window[0] * window[1]];
        int n = 0;
        for (int ty = 0; ty < window[0]; ty++) {
            for (int tx = 0; tx < window[1]; tx++) {
                idx[n++] = (c * in[1] + y * stride[0] + ty) * in[2] + x * stride[1] + tx;
            }
        }
        return idx;
    }
}
