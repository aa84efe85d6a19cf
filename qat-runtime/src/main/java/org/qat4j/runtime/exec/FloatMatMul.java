package org.qat4j.runtime.exec;

/**
 * {@link MatMul} on float32: exact when every partial sum is an integer of magnitude below 2^24
 * ({@link Arithmetic#FLOAT32}). Scalar kernel: four rows share each packed weight row; C2 vectorizes the
 * unit-stride channel loops.
 */
class FloatMatMul extends MatMul {
    final float[] w;
    final float[] bias;

    FloatMatMul(int[] weights, long[] bias, int n, int fullK, int[] keep) {
        super(n, keep);
        this.w = new float[k * nPad];
        this.bias = new float[nPad];
        for (int c = 0; c < n; c++) {
            this.bias[c] = bias == null ? 0 : bias[c];
            for (int kk = 0; kk < k; kk++) {
                w[kk * nPad + c] = weights[c * fullK + keep[kk]];
            }
        }
    }

    @Override
    final Class<?> operandType() {
        return float[].class;
    }

    @Override
    final void run(Object xs, int inPer, int batch, int[] map, int positions, long[] y) {
        int rows = batch * positions;
        int tile = Math.min(tileRows(), rows);
        // inputs already packed in this kernel's type, one contiguous row per sample: multiplied in place
        float[] direct = map == null && xs instanceof float[] d ? d : null;
        float[] a = direct != null ? direct : new float[tile * k];
        float[] out = new float[tile * nPad];
        for (int r0 = 0; r0 < rows; r0 += tile) {
            int nr = Math.min(tile, rows - r0);
            int aOff = 0;
            if (direct != null) {
                aOff = r0 * inPer;
            } else if (xs instanceof float[] x) {
                // typed inputs of a dense layer with pruned features: keep the kept ones
                for (int r = 0; r < nr; r++) {
                    int xo = (r0 + r) * inPer;
                    int ao = r * k;
                    for (int kk = 0; kk < k; kk++) {
                        a[ao + kk] = x[xo + map[kk]];
                    }
                }
            } else if (map == null) {
                long[] x = (long[]) xs;
                // dense layer without pruned inputs: rows are the samples' contiguous input vectors
                int xo = r0 * inPer;
                for (int i = 0; i < nr * k; i++) {
                    a[i] = (float) x[xo + i];
                }
            } else {
                long[] x = (long[]) xs;
                for (int r = 0; r < nr; r++) {
                    int b = (r0 + r) / positions;
                    int mo = (r0 + r - b * positions) * k;
                    int xo = b * inPer;
                    int ao = r * k;
                    for (int kk = 0; kk < k; kk++) {
                        int e = map[mo + kk];
                        a[ao + kk] = e < 0 ? 0f : (float) x[xo + e];
                    }
                }
            }
            kernel(a, aOff, nr, out);
            if (positions == 1) {
                for (int r = 0; r < nr; r++) {
                    int yo = (r0 + r) * n;
                    int oo = r * nPad;
                    for (int c = 0; c < n; c++) {
                        y[yo + c] = (long) out[oo + c];
                    }
                }
            } else {
                for (int r = 0; r < nr; r++) {
                    int b = (r0 + r) / positions;
                    int p = r0 + r - b * positions;
                    int yo = b * n * positions + p;
                    int oo = r * nPad;
                    for (int c = 0; c < n; c++) {
                        y[yo + c * positions] = (long) out[oo + c];
                    }
                }
            }
        }
    }

    /** {@code out[r][c] = bias[c] + Σ_k a[aOff + r·k + k']·w[k'][c]} for {@code rows} rows. */
    void kernel(float[] a, int aOff, int rows, float[] out) {
        float[] a0 = new float[nPad];
        float[] a1 = new float[nPad];
        float[] a2 = new float[nPad];
        float[] a3 = new float[nPad];
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            System.arraycopy(bias, 0, a0, 0, nPad);
            System.arraycopy(bias, 0, a1, 0, nPad);
            System.arraycopy(bias, 0, a2, 0, nPad);
            System.arraycopy(bias, 0, a3, 0, nPad);
            int xo = aOff + r * k;
            for (int kk = 0; kk < k; kk++) {
                float x0 = a[xo + kk];
                float x1 = a[xo + k + kk];
                float x2 = a[xo + 2 * k + kk];
                float x3 = a[xo + 3 * k + kk];
                if (x0 == 0 && x1 == 0 && x2 == 0 && x3 == 0) {
                    continue;
                }
                int row = kk * nPad;
                for (int c = 0; c < nPad; c++) {
                    float wv = w[row + c];
                    a0[c] += wv * x0;
                    a1[c] += wv * x1;
                    a2[c] += wv * x2;
                    a3[c] += wv * x3;
                }
            }
            System.arraycopy(a0, 0, out, r * nPad, nPad);
            System.arraycopy(a1, 0, out, (r + 1) * nPad, nPad);
            System.arraycopy(a2, 0, out, (r + 2) * nPad, nPad);
            System.arraycopy(a3, 0, out, (r + 3) * nPad, nPad);
        }
        for (; r < rows; r++) {
            System.arraycopy(bias, 0, a0, 0, nPad);
            int xo = aOff + r * k;
            for (int kk = 0; kk < k; kk++) {
                float x0 = a[xo + kk];
                if (x0 == 0) {
                    continue;
                }
                int row = kk * nPad;
                for (int c = 0; c < nPad; c++) {
                    a0[c] += w[row + c] * x0;
                }
            }
            System.arraycopy(a0, 0, out, r * nPad, nPad);
        }
    }
}
