package org.qat4j.ptq.rows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.model.EmbeddingOp;

class RowwiseQuantizerTest {

    private static float[] row(Random rnd, int n) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            // heavy tails: the case where shrinking the range pays off
            r[i] = (float) (rnd.nextGaussian() * (rnd.nextInt(20) == 0 ? 4 : 1));
        }
        return r;
    }

    @Test
    void greedyRangeIsNeverWorseThanMinMaxAndShrinksAtMostSixteenPercent() {
        Random rnd = new Random(5);
        int strictlyBetter = 0;
        for (int t = 0; t < 200; t++) {
            float[] r = row(rnd, 64);
            double[] mm = RowRangeSearch.search(r, 4, 1, 0);
            double[] g = RowRangeSearch.search(r, 4, RowRangeSearch.BINS, RowRangeSearch.RATIO);
            double eMm = RowRangeSearch.error(r, mm[0], mm[1], 4);
            double eG = RowRangeSearch.error(r, g[0], g[1], 4);
            assertTrue(eG <= eMm, "row " + t);
            strictlyBetter += eG < eMm ? 1 : 0;
            double width = mm[1] - mm[0];
            assertTrue(g[1] - g[0] >= (1 - RowRangeSearch.RATIO) * width - 1e-9 * width, "row " + t);
            assertTrue(g[0] >= mm[0] && g[1] <= mm[1]);
        }
        assertTrue(strictlyBetter > 100, "greedy improved only " + strictlyBetter + " of 200 heavy-tailed rows");
    }

    @Test
    void greedyPicksTheBestPointOfItsOwnPath() {
        // replay the path: every range the search visits has an error ≥ the returned one
        float[] r = row(new Random(9), 48);
        double[] g = RowRangeSearch.search(r, 4, 200, 0.16);
        double best = RowRangeSearch.error(r, g[0], g[1], 4);
        double lo = -Double.MAX_VALUE;
        double hi = Double.MAX_VALUE;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : r) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double step = (max - min) / 200;
        lo = min;
        hi = max;
        while (lo + 200 * 0.84 * step < hi - 1e-12 * step) {
            double l = RowRangeSearch.error(r, lo + step, hi, 4);
            double h = RowRangeSearch.error(r, lo, hi - step, 4);
            if (l < h) {
                lo += step;
            } else {
                hi -= step;
            }
            assertTrue(Math.min(l, h) >= best);
        }
    }

    @Test
    void codebookBeatsUniformCodesAndIsExactForFewDistinctValues() {
        Random rnd = new Random(3);
        double eBook = 0;
        double eUniform = 0;
        for (int t = 0; t < 40; t++) {
            float[] r = row(rnd, 64);
            double[] c = RowCodebook.centroids(r, 4, 100, t);
            for (float x : r) {
                double best = Double.POSITIVE_INFINITY;
                for (double v : c) {
                    best = Math.min(best, (x - v) * (x - v));
                }
                eBook += best;
            }
            double[] mm = RowRangeSearch.search(r, 4, 1, 0);
            eUniform += RowRangeSearch.error(r, mm[0], mm[1], 4);
        }
        assertTrue(eBook < eUniform, "codebook " + eBook + " vs uniform " + eUniform);
        float[] few = {1, 2, 2, 3, 1, 3, 7, 7};
        double[] c = RowCodebook.centroids(few, 4, 100, 1);
        assertEquals(16, c.length);
        assertArrayEquals(new double[] {1, 2, 3, 7}, java.util.Arrays.copyOf(c, 4));
    }

    @Test
    void reportedValuesAreExactlyWhatTheIntegerOpDecodes() {
        Random rnd = new Random(8);
        int rows = 30;
        int dim = 12;
        float[] t = new float[rows * dim];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) rnd.nextGaussian();
        }
        int frac = RowwiseQuantizer.fraction(5, 48, 32);
        for (RowwiseQuantizer.Method m : RowwiseQuantizer.Method.values()) {
            RowwiseQuantizer.Result r = RowwiseQuantizer.quantize(t, rows, dim, m, 4, frac, 32, "emb", "idx", 1);
            long[] dec = r.op().decoded();
            for (int i = 0; i < dec.length; i++) {
                assertEquals(Math.scalb((double) dec[i], -frac), r.values()[i], 0.0, m + " entry " + i);
                assertTrue(Math.abs(r.values()[i] - t[i]) < 1.0, m + " entry " + i);
            }
            assertEquals(
                    m == RowwiseQuantizer.Method.CODEBOOK ? EmbeddingOp.Kind.CODEBOOK : EmbeddingOp.Kind.AFFINE,
                    r.op().kind());
        }
        assertEquals(
                rows * dim / 2 + rows * 8, RowwiseQuantizer.storageBytes(rows, dim, 4, RowwiseQuantizer.Method.GREEDY));
        assertEquals(
                rows * dim / 2 + rows * 64,
                RowwiseQuantizer.storageBytes(rows, dim, 4, RowwiseQuantizer.Method.CODEBOOK));
    }
}
