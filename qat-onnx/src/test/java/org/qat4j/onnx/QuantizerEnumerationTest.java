package org.qat4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeFixedOp;

/**
 * The emitted quantizer, input by input: one element per format {@code (k, i, f)} with
 * {@code k ∈ {0, 1}}, {@code f ∈ [−3, 6]}, width −1 … 7 (180 formats), and for each element every
 * grid point one period beyond both ends, every tie {@code (m + ½)·2^−f}, their float32 neighbours,
 * signed zeros and far values; every rounding × overflow pair, ONNX Runtime at NO_OPT and ALL_OPT
 * against the integer runtime bit for bit.
 */
class QuantizerEnumerationTest {

    @Test
    void everyCandidateOfEveryFormatInEveryModePair() throws Exception {
        List<FixedFormat> fmts = new ArrayList<>();
        for (int k = 0; k <= 1; k++) {
            for (int f = -3; f <= 6; f++) {
                for (int width = -1; width <= 7; width++) {
                    fmts.add(new FixedFormat(k, width - k - f, f));
                }
            }
        }
        int n = fmts.size();
        int[] kk = new int[n];
        int[] ii = new int[n];
        int[] ff = new int[n];
        List<float[]> candidates = new ArrayList<>();
        int samples = 0;
        for (int e = 0; e < n; e++) {
            FixedFormat fm = fmts.get(e);
            kk[e] = fm.k();
            ii[e] = fm.i();
            ff[e] = fm.f();
            List<Float> c = new ArrayList<>(List.of(0f, -0f, 1e30f, -1e30f, Float.MIN_VALUE, -Float.MIN_VALUE));
            double step = Math.scalb(1.0, -fm.f());
            int w = Math.max(0, fm.width());
            long span = 1L << w;
            for (long m = -span - 2; m <= span + 2; m++) {
                for (double v : new double[] {m * step, (m + 0.5) * step}) {
                    float x = (float) v;
                    c.add(x);
                    c.add(Math.nextUp(x));
                    c.add(Math.nextDown(x));
                }
            }
            float[] a = new float[c.size()];
            for (int t = 0; t < a.length; t++) {
                a[t] = c.get(t);
            }
            candidates.add(a);
            samples = Math.max(samples, a.length);
        }
        float[] x = new float[samples * n];
        for (int s = 0; s < samples; s++) {
            for (int e = 0; e < n; e++) {
                float[] a = candidates.get(e);
                x[s * n + e] = a[s % a.length];
            }
        }
        int[] frac = ff.clone();
        long checked = 0;
        for (RoundingMode r : RoundingMode.values()) {
            for (OverflowMode o : OverflowMode.values()) {
                IntegerModel m = IntegerModel.builder()
                        .setProvenance(Provenance.handBuilt("HGQ"))
                        .setInput("x", n)
                        .addOp(new QuantizeFixedOp("q", "x", FixedFormats.of(kk, ii, ff, "f"), r, o))
                        .addOp(new DequantizeFixedOp("out", "q", frac))
                        .setOutput("out")
                        .build();
                OnnxExport export = OnnxExporter.export(m, OnnxForm.EXACT_FIXED_POINT);
                IntegerRuntime rt = IntegerRuntime.compile(m);
                long[] want = OnnxVerifier.runtimeBits(rt, x, samples);
                for (OptLevel level : new OptLevel[] {OptLevel.NO_OPT, OptLevel.ALL_OPT}) {
                    try (OnnxVerifier v = OnnxVerifier.open(export.bytes(), level)) {
                        OnnxVerifier.Comparison c = v.compare(m, r + "/" + o, x, samples, want);
                        assertEquals(0, c.mismatches(), c.line());
                        checked += want.length;
                    }
                }
            }
        }
        assertEquals(2L * 21 * samples * n, checked);
    }
}
