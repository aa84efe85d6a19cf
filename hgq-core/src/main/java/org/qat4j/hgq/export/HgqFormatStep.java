package org.qat4j.hgq.export;

import java.util.Arrays;
import org.qat4j.core.export.graph.ExportStep;
import org.qat4j.core.export.graph.ExportTensor;
import org.qat4j.hgq.quant.HgqQuantizer;
import org.qat4j.hgq.quant.QuantizerFormats;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.FormatTensor;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.RequantizeFixedOp;

/**
 * An HGQ activation quantizer in the integer model (HGQ, arXiv 2405.00645 §10): {@code quantize_fixed}
 * on a float tensor, {@code requantize_fixed} on an exact integer tensor (the same values: the
 * quantizer is exact on the real value). The quantizer's formats travel as one {@link FormatTensor}
 * (one format per bit group) and are written one per element of the per-sample shape.
 */
final class HgqFormatStep {
    private HgqFormatStep() {}

    /** Quantizes {@code in} with {@code q} into the op {@code name}; the result's state is its fraction per element. */
    static ExportTensor<int[]> quantize(ExportStep<int[]> step, ExportTensor<int[]> in, String name, HgqQuantizer q) {
        QuantizerFormats qf = q.formats();
        FixedFormats formats = perSample(qf, in.shape(), name).perElement(in.shape(), name);
        if (in.state() == null) {
            step.add(new QuantizeFixedOp(name, in.name(), formats, qf.rounding(), qf.overflow()));
        } else {
            step.add(new RequantizeFixedOp(name, in.name(), in.state(), formats, qf.rounding(), qf.overflow()));
        }
        return in.with(name, formats.f());
    }

    /** The quantizer's formats over a per-sample {@code shape}, from a bit shape whose axis 0 is the batch. */
    static FormatTensor perSample(QuantizerFormats qf, int[] shape, String name) {
        long[] bits = qf.bitShape();
        if (bits.length != shape.length + 1) {
            throw new IllegalArgumentException(name + ": quantizer bit shape " + Arrays.toString(bits)
                    + " does not match the per-sample" + " shape " + Arrays.toString(shape) + " plus a batch axis");
        }
        return qf.perSample();
    }
}
