package org.qat4j.ptq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** im2col rows times the flattened kernel equal DJL's conv2d bit for bit on small integers (exact in float32). */
class Im2colTest {

    @Test
    void patchesTimesKernelIsTheEngineConvolution() {
        Random r = new Random(5);
        int[][] cases = {
            {2, 3, 7, 6, 3, 3, 1, 1, 0, 0, 1, 1},
            {1, 2, 9, 8, 3, 2, 2, 1, 1, 1, 1, 2},
            {3, 1, 5, 5, 2, 2, 1, 2, 1, 0, 2, 1}
        };
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] p : cases) {
                int n = p[0], c = p[1], h = p[2], w = p[3], kh = p[4], kw = p[5];
                int sh = p[6], sw = p[7], ph = p[8], pw = p[9], dh = p[10], dw = p[11];
                int f = 4;
                float[] x = new float[n * c * h * w];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.nextInt(31) - 15;
                }
                int k = c * kh * kw;
                float[] wt = new float[f * k];
                for (int i = 0; i < wt.length; i++) {
                    wt[i] = r.nextInt(15) - 7;
                }
                NDArray y = Conv2d.conv2d(
                                m.create(x, new Shape(n, c, h, w)),
                                m.create(wt, new Shape(f, c, kh, kw)),
                                null,
                                new Shape(sh, sw),
                                new Shape(ph, pw),
                                new Shape(dh, dw),
                                1)
                        .head();
                float[] engine = y.toFloatArray();
                int oh = Im2col.outputSize(h, kh, sh, ph, dh);
                int ow = Im2col.outputSize(w, kw, sw, pw, dw);
                assertEquals(new Shape(n, f, oh, ow), y.getShape());
                float[] rows = Im2col.patches(x, n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw);
                for (int s = 0; s < n; s++) {
                    for (int ch = 0; ch < f; ch++) {
                        for (int pos = 0; pos < oh * ow; pos++) {
                            long dot = 0;
                            int row = s * oh * ow + pos;
                            for (int j = 0; j < k; j++) {
                                dot += (long) rows[row * k + j] * (long) wt[ch * k + j];
                            }
                            float e = engine[((s * f + ch) * oh * ow) + pos];
                            assertEquals(
                                    Float.floatToIntBits((float) dot),
                                    Float.floatToIntBits(e + 0.0f),
                                    "sample " + s + " channel " + ch + " position " + pos);
                        }
                    }
                }
            }
        }
    }
}
