package org.qat4j.a2q.quant;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.qat4j.a2q.kernel.AccumulatorBoundsFloat32;
import org.qat4j.a2q.kernel.WeightNormInit;
import org.qat4j.a2q.kernel.WeightNormQuantization;
import org.qat4j.core.engine.NativeArrays;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * The weight quantizer of an A2Q / A2Q+ layer: owns the float weights v, {@code log2 g} and {@code log2 s} (one per
 * output channel, shape {@code [C, 1]}) and turns them into M-bit integer weights whose per-channel L1 norm (A2Q,
 * arXiv 2308.13504, Eq. 13) or sign halves (A2Q+, arXiv 2401.10432, Eq. 9) respect the accumulator bound T of a
 * P-bit accumulator for N-bit inputs (see {@link WeightNormQuantization} for the formula).
 *
 * <p>Lifecycle: {@link #initialize} draws v (Xavier) and derives {@code log2 s = log2(absmax(v_c)/(2^(M−1)−1))},
 * {@code log2 g = log2 ‖v_c‖₁}; loading float weights ({@link #loadFloatWeights}) re-derives both; {@link #epInit}
 * projects v onto the L1 ball of radius s·T and lowers g (A2Q+ EP-init, arXiv 2401.10432, Sec. 4.2); training
 * updates v, g, s; {@link #snapshot} exports the integers. g and s are recomputed as {@code max(2^param, 1e-10)} in
 * float32 on every forward. The v parameter is named {@code weight} so float models map onto it by name.
 */
public final class A2qWeightQuantizer extends AbstractBlock {

    private static final byte VERSION = 1;

    private Variant variant;
    private int weightBits;
    private int accumulatorBits;
    private final Parameter weight;
    private final Parameter log2Norm;
    private final Parameter log2Scale;

    /** @deprecated use {@link #A2qWeightQuantizer(Variant, int, int)} with {@link Variant}. */
    @Deprecated
    public A2qWeightQuantizer(org.qat4j.a2q.kernel.A2qVariant variant, int weightBits, int accumulatorBits) {
        this(variant.toVariant(), weightBits, accumulatorBits);
    }

    /**
     * @param variant the constraint
     * @param weightBits M ∈ [2, 16]
     * @param accumulatorBits P (ignored for UNCONSTRAINED)
     */
    public A2qWeightQuantizer(Variant variant, int weightBits, int accumulatorBits) {
        super(VERSION);
        this.variant = variant;
        this.weightBits = weightBits;
        this.accumulatorBits = accumulatorBits;
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(new XavierInitializer())
                .build());
        this.log2Norm = addParameter(Parameter.builder()
                .setName("log2Norm")
                .setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(0f))
                .build());
        this.log2Scale = addParameter(Parameter.builder()
                .setName("log2Scale")
                .setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(0f))
                .build());
    }

    public Variant getVariant() {
        return variant;
    }

    public int getWeightBits() {
        return weightBits;
    }

    public int getAccumulatorBits() {
        return accumulatorBits;
    }

    /** v, shape of the layer's weight with the output channel first. */
    public Parameter getWeight() {
        return weight;
    }

    /** log2 g, shape [C, 1]. */
    public Parameter getLog2Norm() {
        return log2Norm;
    }

    /** log2 s, shape [C, 1]. */
    public Parameter getLog2Scale() {
        return log2Scale;
    }

    /** The float32 bound T for N-bit inputs of signedness σ (NaN for UNCONSTRAINED). */
    public float bound(int inputBits, boolean inputSigned) {
        return variant.isConstrained()
                ? AccumulatorBoundsFloat32.bound(variant, accumulatorBits, inputBits, inputSigned)
                : Float.NaN;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape w = inputShapes[0];
        weight.setShape(w);
        log2Norm.setShape(new Shape(w.get(0), 1));
        log2Scale.setShape(new Shape(w.get(0), 1));
    }

    /**
     * Initializes with the weight shape as the single "input shape", then derives s and g from v — unless
     * all three were loaded already (a restored checkpoint keeps its learned s and g).
     */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        boolean loaded = weight.isInitialized() && log2Norm.isInitialized() && log2Scale.isInitialized();
        super.initialize(manager, dataType, inputShapes);
        if (!loaded) {
            reinitializeScaleAndNorm();
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** Not used as a standalone block: layers call {@link #quantize}. Returns the dequantized weight s·q. */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("A2qWeightQuantizer is driven by its layer through quantize(...)");
    }

    /**
     * The integer weights (in the weight's shape, integer-valued floats with straight-through gradients) and s
     * ({@code [C, 1]}), created in {@code scope}.
     */
    public WeightNormQuantization.Result quantize(
            NDManager scope,
            ParameterStore ps,
            Device device,
            boolean training,
            int inputBits,
            boolean inputSigned,
            NDArray[] scaleOut) {
        NDArray v = ps.getValue(weight, device, training);
        NDArray lg = ps.getValue(log2Norm, device, training);
        NDArray ls = ps.getValue(log2Scale, device, training);
        scope.tempAttachAll(v, lg, ls);
        Shape shape = v.getShape();
        NDArray v2d = v.reshape(shape.get(0), -1);
        NDArray s = WeightNormQuantization.pow2Clamped(ls);
        NDArray g = WeightNormQuantization.pow2Clamped(lg);
        WeightNormQuantization.Result r =
                WeightNormQuantization.compute(v2d, g, s, bound(inputBits, inputSigned), weightBits, variant);
        scaleOut[0] = s;
        return new WeightNormQuantization.Result(
                r.intWeights().reshape(shape), r.preScale(), r.preZeroPoint(), r.gOverSClamped());
    }

    /**
     * {@code Σ_c relu(g_c − T·s_c)} (arXiv 2308.13504, Sec. 4.2) from the parameter arrays themselves, so its
     * gradient reaches log2 g and log2 s; the result is attached to {@code manager}. Zero for UNCONSTRAINED.
     */
    public NDArray normPenalty(NDManager manager, int inputBits, boolean signed) {
        if (!variant.isConstrained()) {
            return manager.zeros(new Shape());
        }
        NDArray lg = log2Norm.getArray();
        NDArray ls = log2Scale.getArray();
        try (NDManager scope = manager.newSubManager()) {
            scope.tempAttachAll(lg, ls);
            NDArray g = WeightNormQuantization.pow2Clamped(lg);
            NDArray s = WeightNormQuantization.pow2Clamped(ls);
            NDArray excess = g.sub(s.mul(NativeArrays.full(scope, bound(inputBits, signed))));
            NDArray r = excess.maximum(NativeArrays.full(scope, 0f)).sum();
            r.attach(manager);
            return r;
        }
    }

    /** Re-derives {@code log2 s = log2(absmax/(2^(M−1)−1))} and {@code log2 g = log2 ‖v‖₁} from the current v. */
    public void reinitializeScaleAndNorm() {
        NDArray v = weight.getArray();
        try (NoGradScope ignored = NoGradScope.open();
                NDManager tmp = v.getManager().newSubManager()) {
            NDArray v2d = v.stopGradient().reshape(v.getShape().get(0), -1);
            tmp.tempAttachAll(v2d);
            assignInPlace(log2Scale.getArray(), WeightNormInit.log2Scale(v2d, weightBits));
            assignInPlace(log2Norm.getArray(), WeightNormInit.log2Norm(v2d));
        }
    }

    /** Copies float weights (the layer's weight shape) into v and re-derives s and g. */
    public void loadFloatWeights(NDArray floatWeights) {
        if (!floatWeights.getShape().equals(weight.getArray().getShape())) {
            throw new IllegalArgumentException("float weights have shape " + floatWeights.getShape()
                    + " but the quantized layer's weight has shape "
                    + weight.getArray().getShape());
        }
        try (NoGradScope ignored = NoGradScope.open()) {
            assignInPlace(weight.getArray(), floatWeights);
        }
        reinitializeScaleAndNorm();
    }

    /**
     * EP-init (arXiv 2401.10432, Sec. 4.2): projects each channel of v onto the L1 ball of radius {@code s_c·T},
     * then {@code log2 g ← min(log2 g, log2(s·T))}; s is unchanged. Only for A2Q / A2Q+.
     */
    public void epInit(int inputBits, boolean inputSigned) {
        if (!variant.isConstrained()) {
            throw new IllegalStateException("EP-init needs an accumulator bound; this quantizer is " + variant);
        }
        NDArray v = weight.getArray();
        try (NoGradScope ignored = NoGradScope.open();
                NDManager tmp = v.getManager().newSubManager()) {
            NDArray v2d = v.stopGradient().reshape(v.getShape().get(0), -1);
            NDArray ls = log2Scale.getArray().stopGradient();
            NDArray lg = log2Norm.getArray().stopGradient();
            tmp.tempAttachAll(v2d, ls, lg);
            NDArray s = WeightNormQuantization.pow2Clamped(ls);
            WeightNormInit.EpInit ep = WeightNormInit.epInit(tmp, v2d, s, lg, bound(inputBits, inputSigned));
            assignInPlace(v, ep.weights().reshape(v.getShape()));
            assignInPlace(log2Norm.getArray(), ep.log2Norm());
        }
    }

    /** The quantized weights as plain Java values (evaluation mode, no gradient). */
    public QuantizedWeights snapshot(int inputBits, boolean inputSigned) {
        NDArray v = weight.getArray();
        try (NoGradScope ignored = NoGradScope.open();
                NDManager tmp = v.getManager().newSubManager()) {
            NDArray vd = v.stopGradient();
            NDArray lg = log2Norm.getArray().stopGradient();
            NDArray ls = log2Scale.getArray().stopGradient();
            tmp.tempAttachAll(vd, lg, ls);
            int c = Math.toIntExact(vd.getShape().get(0));
            NDArray v2d = vd.reshape(c, -1);
            int k = Math.toIntExact(v2d.getShape().get(1));
            NDArray s = WeightNormQuantization.pow2Clamped(ls);
            NDArray g = WeightNormQuantization.pow2Clamped(lg);
            float t = bound(inputBits, inputSigned);
            WeightNormQuantization.Result r = WeightNormQuantization.compute(v2d, g, s, t, weightBits, variant);
            float[] q = r.intWeights().toType(DataType.FLOAT32, false).toFloatArray();
            long[][] ints = new long[c][k];
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < k; i++) {
                    ints[ch][i] = (long) q[ch * k + i];
                }
            }
            float[] sv = s.toType(DataType.FLOAT32, false).toFloatArray();
            float[] pre = new float[c];
            float[] zp = new float[c];
            float[] gs = new float[c];
            boolean[] clamp = new boolean[c];
            java.util.Arrays.fill(pre, Float.NaN);
            java.util.Arrays.fill(gs, Float.NaN);
            if (variant.isConstrained()) {
                pre = r.preScale().toType(DataType.FLOAT32, false).toFloatArray();
                gs = r.gOverSClamped().toType(DataType.FLOAT32, false).toFloatArray();
                float[] raw = g.div(s).toType(DataType.FLOAT32, false).toFloatArray();
                for (int ch = 0; ch < c; ch++) {
                    clamp[ch] = raw[ch] > t;
                }
                if (r.preZeroPoint() != null) {
                    zp = r.preZeroPoint().toType(DataType.FLOAT32, false).toFloatArray();
                }
            }
            return new QuantizedWeights(
                    variant, weightBits, accumulatorBits, inputBits, inputSigned, t, ints, sv, pre, zp, gs, clamp);
        }
    }

    /** {@code target ← value} in place, keeping target's requires-grad flag (call in a no-grad scope). */
    static void assignInPlace(NDArray target, NDArray value) {
        if (!value.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("shape " + value.getShape() + " does not match " + target.getShape());
        }
        // a byte copy is exact; target − (target − value) would round
        target.set(value.toType(target.getDataType(), false).toByteBuffer());
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeUTF(variant.name());
        os.writeInt(weightBits);
        os.writeInt(accumulatorBits);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("A2qWeightQuantizer: unsupported version " + loadVersion);
        }
        readInputShapes(is);
        Variant v = Variant.valueOf(is.readUTF());
        int m = is.readInt();
        int p = is.readInt();
        if (v != variant || m != weightBits || p != accumulatorBits) {
            throw new MalformedModelException("A2qWeightQuantizer: file has variant=" + v + ", weightBits=" + m
                    + ", accumulatorBits=" + p + " but the block was built with variant=" + variant
                    + ", weightBits=" + weightBits + ", accumulatorBits=" + accumulatorBits);
        }
    }

    @Override
    public String toString() {
        return "A2qWeightQuantizer(" + variant + ", M=" + weightBits + ", P=" + accumulatorBits + ")";
    }
}
