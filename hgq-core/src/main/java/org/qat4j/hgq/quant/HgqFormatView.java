package org.qat4j.hgq.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.hgq.kernel.HgqBitRules;
import org.qat4j.runtime.fixed.FixedFormat;

/**
 * An HGQ quantizer's bit parameters read as exact fixed-point formats, one per bit group (arXiv 2405.00645
 * §3): {@code (k, i, f) = (k, rint(i), rint(f))}, with i and k of a data-ranged activation quantizer from
 * its recorded range ({@link HgqBitRules#activationFormat}). This is what export, EBOPs and the evaluation
 * forward's integer bits agree on.
 */
final class HgqFormatView {

    private final HgqQuantizer quantizer;

    HgqFormatView(HgqQuantizer quantizer) {
        this.quantizer = quantizer;
    }

    private boolean fromDataActivation() {
        HgqQuantizerConfig c = quantizer.getConfig();
        return c.role() == QuantizerRole.ACTIVATION && c.integerBits() == IntegerBitsMode.FROM_DATA;
    }

    /** The formats per bit group, C order of the bit shape. */
    FixedFormat[] compute() {
        float[] f = floats(quantizer.getFractionalBitsParameter().getArray());
        float[] i = floats(quantizer.getIntegerBitsParameter().getArray());
        float[] k = floats(quantizer.signBits().getArray());
        FixedFormat[] out = new FixedFormat[f.length];
        boolean fromDataActivation = fromDataActivation();
        float[] min = fromDataActivation ? floats(quantizer.ranges().min.getArray()) : null;
        float[] max = fromDataActivation ? floats(quantizer.ranges().max.getArray()) : null;
        for (int g = 0; g < f.length; g++) {
            int fr = (int) Math.rint(f[g]);
            int ir = (int) Math.rint(i[g]);
            int kr = (int) k[g];
            if (fromDataActivation) {
                out[g] = HgqBitRules.activationFormat(min[g], max[g], fr, kr, ir);
            } else {
                out[g] = new FixedFormat(kr, ir, fr);
            }
        }
        return out;
    }

    /** Writes i and k of a data-ranged activation quantizer from its recorded range (exact, in Java). */
    void refreshIntegerBits() {
        if (!fromDataActivation()) {
            return;
        }
        FixedFormat[] fmts = compute();
        float[] fParam = floats(quantizer.getFractionalBitsParameter().getArray());
        float[] k = new float[fmts.length];
        float[] i = new float[fmts.length];
        for (int g = 0; g < fmts.length; g++) {
            k[g] = fmts[g].k();
            i[g] = fmts[g].i();
            if (fmts[g].isZeroWidth()) {
                // a pruned group reports (0, 0, 0), but the forward pairs i with the trained f: i = −f keeps its
                // width k + i + f at 0, so the forward outputs 0 as the exported format says
                k[g] = 0;
                i[g] = -(float) Math.rint(fParam[g]);
            }
        }
        overwrite(quantizer.signBits().getArray(), k);
        overwrite(quantizer.getIntegerBitsParameter().getArray(), i);
        quantizer.ranges().markClean();
    }

    private static void overwrite(NDArray target, float[] values) {
        // NDManager.create(float[]) may wrap a Java buffer that only the returned object keeps alive;
        // intern moves the native handle but not that reference, so copy into native memory first.
        try (NoGradScope ignored = NoGradScope.open();
                NDArray wrapped = target.getManager().create(values, target.getShape())) {
            target.intern(wrapped.toType(target.getDataType(), false).duplicate());
        }
    }

    /** The integer fractional bits {@code rint(f)} per bit group, C order. */
    int[] fractionalBits() {
        float[] f = floats(quantizer.getFractionalBitsParameter().getArray());
        int[] out = new int[f.length];
        for (int g = 0; g < f.length; g++) {
            out[g] = (int) Math.rint(f[g]);
        }
        return out;
    }

    /** Quantized values as exact integer mantissas on the per-element grid ({@code rint(f)} broadcast). */
    QuantizedConstant toConstant(NDArray quantized) {
        long[] dims = quantized.getShape().getShape();
        double[] values = quantized.toType(DataType.FLOAT64, false).toDoubleArray();
        int[] groupF = fractionalBits();
        int[] f = new int[values.length];
        BitGroups.forEachGroup(dims, quantizer.getBitShape().getShape(), (v, g) -> f[v] = groupF[g]);
        return QuantizedConstant.fromGrid(dims, values, f);
    }

    static float[] floats(NDArray a) {
        return a.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
