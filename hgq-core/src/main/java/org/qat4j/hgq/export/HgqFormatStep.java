package org.qat4j.hgq.export;

import java.util.Arrays;
import org.qat4j.core.export.graph.ExportStep;
import org.qat4j.core.export.graph.ExportTensor;
import org.qat4j.hgq.quant.HgqQuantizer;
import org.qat4j.hgq.quant.QuantizerFormats;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.RequantizeFixedOp;

/**
 * An HGQ activation quantizer in the integer model (HGQ, arXiv 2405.00645 §10): {@code quantize_fixed}
 * on a float tensor, {@code requantize_fixed} on an exact integer tensor (the same values: the
 * quantizer is exact on the real value), with one format per element of the per-sample shape.
 */
final class HgqFormatStep {
    private HgqFormatStep() {}

    /** Quantizes {@code in} with {@code q} into the op {@code name}; the result's state is its fraction per element. */
    static ExportTensor<int[]> quantize(ExportStep<int[]> step, ExportTensor<int[]> in, String name, HgqQuantizer q) {
        QuantizerFormats qf = q.formats();
        FixedFormat[] per = perElement(qf, in.shape(), name);
        int[] k = new int[per.length];
        int[] i = new int[per.length];
        int[] f = new int[per.length];
        for (int e = 0; e < per.length; e++) {
            k[e] = per[e].k();
            i[e] = per[e].i();
            f[e] = per[e].f();
        }
        FixedFormats formats = FixedFormats.of(k, i, f, name);
        if (in.state() == null) {
            step.add(new QuantizeFixedOp(name, in.name(), formats, qf.rounding(), qf.overflow()));
        } else {
            step.add(new RequantizeFixedOp(name, in.name(), in.state(), formats, qf.rounding(), qf.overflow()));
        }
        return in.with(name, f);
    }

    /** One format per element of the per-sample shape, from a bit shape whose axis 0 is the batch. */
    static FixedFormat[] perElement(QuantizerFormats qf, int[] shape, String name) {
        long[] bits = qf.bitShape();
        if (bits.length != shape.length + 1) {
            throw new IllegalArgumentException(name + ": quantizer bit shape " + Arrays.toString(bits) + " does not match the per-sample"
                    + " shape " + Arrays.toString(shape) + " plus a batch axis");
        }
        int numel = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        FixedFormat[] out = new FixedFormat[numel];
        int[] idx = new int[shape.length];
        for (int e = 0; e < numel; e++) {
            int rest = e;
            for (int a = shape.length - 1; a >= 0; a--) {
                idx[a] = rest % shape[a];
                rest /= shape[a];
            }
            long g = 0;
            for (int a = 0; a < shape.length; a++) {
                long d = bits[a + 1];
                g = g * d + (d == 1 ? 0 : idx[a]);
            }
            out[e] = qf.format(Math.toIntExact(g));
        }
        return out;
    }
}
