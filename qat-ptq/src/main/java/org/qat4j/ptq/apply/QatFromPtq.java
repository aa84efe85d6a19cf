package org.qat4j.ptq.apply;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.a2q.kernel.IntegerRowPreimage;
import org.qat4j.a2q.kernel.WeightNormInit;
import org.qat4j.a2q.kernel.WeightNormQuantization;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * Starts a QAT network (A2Q-family blocks) from a PTQ twin, so that QAT begins where PTQ ended (PTQ as the QAT
 * initializer, arXiv 2409.17092 §5; the A2Q+ fine-tuning of arXiv 2401.10432 §5 starting from AXE instead of
 * EP-init). Layers and activation quantizers are paired in block-tree order (the order DJL saves parameters in);
 * their counts and weight shapes must agree.
 *
 * <p>Per layer, the PTQ values are copied: {@code v = q·s} (the dequantized integer weights), the per-channel
 * step {@code s} and the bias. Where the target has at least the source's weight bits, the same s reproduces the
 * same integers (every {@code |q| ≤ 2^(M−1)−1} of the source is inside the target's range); with fewer bits the
 * clip {@code α = s·(2^(M_src−1)−1)} is kept and s rescaled. An unconstrained target then computes exactly the
 * PTQ twin's integers. An accumulator-constrained target computes {@code q = trunc((v − μ)/pre)} (A2Q: μ = 0) with
 * {@code ‖(v − μ)/pre‖₁ = g' ≤ T} (arXiv 2401.10432 Eq. 11–13): copying {@code v = q·s} would give
 * {@code trunc(q − mean(q))}, which moves every positive (or negative) integer of a row with a non-zero mean by one
 * (measured: AXE W4A4 P = 16 on the a2q-fashion-cnn network started at 22.10% instead of 88.63%). So each channel
 * gets {@code v = y·s} with y the real row of {@link IntegerRowPreimage} — zero mean, {@code trunc(y) = q},
 * {@code ‖y‖₁ < T} — and {@code g = ‖v − μ‖₁}; where the target has at least the source's weight bits, the target's
 * integers are then the PTQ integers in every channel for which such a row exists (an AXE row at P certified for
 * the target's inputs has sign halves of at most T/2, below it unless T/2 is an integer; a row at exactly T/2 keeps
 * {@code q·s}). A row whose sum {@code Σq} reaches the count of its entries of the other sign or zero is outside
 * what A2Q+'s quantizer can output at all (see {@link IntegerRowPreimage}); it starts from the nearest reachable
 * integers ({@link IntegerRowPreimage#nearest}: the fewest one-unit moves toward zero).
 * EP-init (§4.2) is then a no-op (every row is inside the L1 ball). The transfer re-quantizes every layer and
 * reports in {@link Transfer#notes()} how many channels carry the PTQ integers.
 *
 * <p>Per activation quantizer: the step s is copied when the target's largest integer is at least the source's
 * (e.g. the signed 8-bit PTQ input quantizer into an unsigned 8-bit one: the same integers for non-negative inputs
 * such as pixels), otherwise the clip {@code α = s·maxInt} is kept; the calibration counter is copied, so QAT does
 * not recalibrate the PTQ clips.
 */
public final class QatFromPtq {

    private QatFromPtq() {}

    /** What was transferred: layer and quantizer counts, and the layers whose integers may differ. */
    public record Transfer(int layers, int activationQuantizers, List<String> notes) {}

    /**
     * Copies the PTQ twin's parameters into {@code target}.
     *
     * @param twin the PTQ twin network (initialized, e.g. {@link PtqTwin#block()} or loaded twin parameters)
     * @param target the initialized QAT network
     * @param epInit whether accumulator-constrained target layers get EP-init after the copy
     * @return what was copied
     * @throws IllegalArgumentException naming the first layer whose count or shape differs
     */
    public static Transfer transfer(Block twin, Block target, boolean epInit) {
        List<AbstractQLayer> from = BlockTrees.find(twin, AbstractQLayer.class);
        List<AbstractQLayer> to = BlockTrees.find(target, AbstractQLayer.class);
        if (from.size() != to.size()) {
            throw new IllegalArgumentException("the PTQ network has " + from.size() + " quantized layers, this network "
                    + to.size() + "; it must be the same network");
        }
        List<ActivationQuantizer> qFrom = BlockTrees.find(twin, ActivationQuantizer.class);
        List<ActivationQuantizer> qTo = BlockTrees.find(target, ActivationQuantizer.class);
        if (qFrom.size() != qTo.size()) {
            throw new IllegalArgumentException("the PTQ network has " + qFrom.size() + " activation quantizers, this "
                    + "network " + qTo.size() + "; it must be the same network");
        }
        for (int i = 0; i < from.size(); i++) {
            Shape a = from.get(i).getWeightQuantizer().getWeight().getArray().getShape();
            Shape b = to.get(i).getWeightQuantizer().getWeight().getArray().getShape();
            if (!a.equals(b)) {
                throw new IllegalArgumentException(
                        "layer " + (i + 1) + " (" + to.get(i).getClass().getSimpleName() + ") has weight shape " + b
                                + " here and " + a + " in the PTQ network");
            }
            if ((from.get(i).getBiasParameter() == null) != (to.get(i).getBiasParameter() == null)) {
                throw new IllegalArgumentException("layer " + (i + 1) + " has a bias in one network only");
            }
        }
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            copyLayer(from.get(i), to.get(i), epInit, i + 1, notes);
        }
        for (int i = 0; i < qFrom.size(); i++) {
            copyQuantizer(qFrom.get(i), qTo.get(i), i + 1, notes);
        }
        return new Transfer(from.size(), qFrom.size(), notes);
    }

    private static void copyLayer(
            AbstractQLayer src, AbstractQLayer dst, boolean epInit, int index, List<String> notes) {
        int mSrc = src.getWeightBits();
        int mDst = dst.getWeightBits();
        try (NoGradScope ignored = NoGradScope.open()) {
            assign(
                    dst.getWeightQuantizer().getWeight(),
                    src.getWeightQuantizer().getWeight().getArray());
            NDArray ls = src.getWeightQuantizer().getLog2Scale().getArray();
            assign(dst.getWeightQuantizer().getLog2Scale(), ls);
            if (mDst < mSrc) {
                // keep the clip α = s·qMax: log2 s' = log2 s + log2(qMax_src / qMax_dst)
                float shift =
                        (float) (Math.log(((1L << (mSrc - 1)) - 1) / (double) ((1L << (mDst - 1)) - 1)) / Math.log(2));
                float[] l = ls.toType(DataType.FLOAT32, false).toFloatArray();
                for (int c = 0; c < l.length; c++) {
                    l[c] += shift;
                }
                dst.getWeightQuantizer().getLog2Scale().getArray().set(l);
                notes.add("layer " + index + ": " + mSrc + "-bit PTQ weights re-rounded to " + mDst + " bits");
            }
            if (src.getBiasParameter() != null) {
                assign(dst.getBiasParameter(), src.getBiasParameter().getArray());
            }
        }
        if (!dst.getVariant().isConstrained()) {
            return;
        }
        long[][] ptqIntegers = src.quantizedWeights().intWeights();
        String reproduced = mDst >= mSrc ? placePreimages(dst, ptqIntegers) : null;
        Parameter v = dst.getWeightQuantizer().getWeight();
        try (NoGradScope ignored = NoGradScope.open();
                NDManager tmp = v.getArray().getManager().newSubManager()) {
            NDArray v2d =
                    v.getArray().stopGradient().reshape(v.getArray().getShape().get(0), -1);
            tmp.tempAttachAll(v2d);
            NDArray centred = dst.getVariant() == Variant.A2Q_PLUS ? v2d.sub(v2d.mean(new int[] {1}, true)) : v2d;
            assign(dst.getWeightQuantizer().getLog2Norm(), WeightNormInit.log2Norm(centred));
        }
        if (epInit) {
            dst.epInit();
        }
        long[][] now = dst.quantizedWeights().intWeights();
        int same = 0;
        for (int c = 0; c < now.length; c++) {
            if (java.util.Arrays.equals(now[c], ptqIntegers[c])) {
                same++;
            }
        }
        notes.add("layer " + index + ": " + dst.getVariant() + " at P = " + dst.getAccumulatorBits()
                + (epInit ? " after EP-init" : "") + ": the PTQ integers in " + same + " of " + now.length
                + " channels" + (reproduced == null ? " (fewer weight bits: re-rounded)" : reproduced));
    }

    /**
     * Sets v of each channel to {@code fl(y·s_c)} with y a real row whose A2Q / A2Q+ quantization is the PTQ row, or
     * the nearest row A2Q+ can output ({@link IntegerRowPreimage#nearest}); a channel without either keeps
     * {@code q·s}. Returns what did not reproduce, for the transfer's notes.
     */
    private static String placePreimages(AbstractQLayer dst, long[][] q) {
        float bound = dst.getWeightQuantizer().bound(dst.getInputBits(), dst.isInputSigned());
        Parameter v = dst.getWeightQuantizer().getWeight();
        float[] s;
        float[] flat = v.getArray().toType(DataType.FLOAT32, false).toFloatArray();
        try (NoGradScope ignored = NoGradScope.open();
                NDManager tmp = v.getArray().getManager().newSubManager()) {
            NDArray ls = dst.getWeightQuantizer().getLog2Scale().getArray().stopGradient();
            tmp.tempAttachAll(ls);
            s = WeightNormQuantization.pow2Clamped(ls)
                    .toType(DataType.FLOAT32, false)
                    .toFloatArray();
        }
        int k = flat.length / q.length;
        int kept = 0;
        int moved = 0;
        long units = 0;
        String firstReason = null;
        for (int c = 0; c < q.length; c++) {
            IntegerRowPreimage.Result row = IntegerRowPreimage.nearest(q[c], dst.getVariant(), bound);
            if (!row.exact() && firstReason == null) {
                firstReason = "channel " + c + ": " + row.reason();
            }
            if (!row.found()) {
                kept++;
                continue;
            }
            if (row.changedUnits() > 0) {
                moved++;
                units += row.changedUnits();
            }
            for (int i = 0; i < k; i++) {
                flat[c * k + i] = (float) row.y()[i] * s[c];
            }
        }
        try (NoGradScope ignored = NoGradScope.open()) {
            v.getArray().set(flat);
        }
        if (firstReason == null) {
            return "";
        }
        return " ("
                + (moved > 0
                        ? moved + " channels start " + units + " integer units away, the nearest a zero-mean "
                                + "row reaches"
                        : "")
                + (moved > 0 && kept > 0 ? "; " : "")
                + (kept > 0 ? kept + " channels keep q·s" : "") + "; e.g. " + firstReason + ")";
    }

    private static void copyQuantizer(ActivationQuantizer src, ActivationQuantizer dst, int index, List<String> notes) {
        try (NoGradScope ignored = NoGradScope.open()) {
            assign(dst.getScaleParameter(), src.getScaleParameter().getArray());
            if (dst.maxInt() < src.maxInt()) {
                float clip = src.scaleValue() * src.maxInt();
                dst.getScaleParameter().getArray().set(new float[] {clip / dst.maxInt()});
                notes.add("activation quantizer " + index + ": clip of the " + src.getBits()
                        + "-bit PTQ quantizer kept at " + dst.getBits() + " bits");
            } else if (dst.minInt() > src.minInt()) {
                notes.add("activation quantizer " + index + ": same step, but values below " + dst.minInt()
                        + " steps clamp here (the PTQ quantizer went down to " + src.minInt() + ")");
            }
            assign(
                    dst.getParameters().get("calibrated"),
                    src.getParameters().get("calibrated").getArray());
        }
    }

    /** {@code target ← value} as an exact byte copy in the target's type, keeping its requires-grad flag. */
    private static void assign(Parameter target, NDArray value) {
        NDArray t = target.getArray();
        if (!value.getShape().equals(t.getShape())) {
            throw new IllegalArgumentException("parameter " + target.getName() + " has shape " + t.getShape()
                    + " here and " + value.getShape() + " in the PTQ network");
        }
        t.set(value.toType(t.getDataType(), false).toByteBuffer());
    }
}
