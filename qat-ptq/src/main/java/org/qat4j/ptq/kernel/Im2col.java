package org.qat4j.ptq.kernel;

import org.qat4j.runtime.model.Shapes;

/**
 * The input patches of a 2-D convolution as rows (im2col), so that a convolution's output channel c at one
 * output position is the dot product of one row with the flattened kernel {@code W_c} in its
 * {@code (C_in, k_h, k_w)} order: greedy rounding (GPFQ, AXE) then treats every (sample, position) pair as one
 * calibration sample of a dense layer with {@code K = C_in·k_h·k_w} inputs. Zero padding contributes zeros.
 * Groups are not supported (one group).
 */
public final class Im2col {

    private Im2col() {}

    /** Output size along one axis ({@link Shapes#windowOutputLength}). */
    public static int outputSize(int in, int kernel, int stride, int padding, int dilation) {
        return (int) Shapes.windowOutputLength(in, kernel, stride, padding, dilation);
    }

    /**
     * @param x inputs {@code [n][c][h][w]} row-major
     * @return patches {@code [n·oh·ow][c·kh·kw]} row-major, rows in (sample, output row, output column) order
     */
    public static float[] patches(
            float[] x,
            int n,
            int c,
            int h,
            int w,
            int kh,
            int kw,
            int strideH,
            int strideW,
            int padH,
            int padW,
            int dilH,
            int dilW) {
        int oh = outputSize(h, kh, strideH, padH, dilH);
        int ow = outputSize(w, kw, strideW, padW, dilW);
        int k = c * kh * kw;
        if ((long) n * oh * ow * k > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("im2col of " + n + " samples needs " + ((long) n * oh * ow * k)
                    + " values; use fewer calibration samples");
        }
        float[] out = new float[n * oh * ow * k];
        int row = 0;
        for (int s = 0; s < n; s++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int base = row * k;
                    int col = 0;
                    for (int ch = 0; ch < c; ch++) {
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = oy * strideH - padH + ky * dilH;
                            for (int kx = 0; kx < kw; kx++) {
                                int ix = ox * strideW - padW + kx * dilW;
                                out[base + col++] = iy < 0 || iy >= h || ix < 0 || ix >= w
                                        ? 0f
                                        : x[((s * c + ch) * h + iy) * w + ix];
                            }
                        }
                    }
                    row++;
                }
            }
        }
        return out;
    }
}
