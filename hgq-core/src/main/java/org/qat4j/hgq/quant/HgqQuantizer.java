package org.qat4j.hgq.quant;

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
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.qat4j.core.engine.NativeArrays;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.core.fixed.FixedPointOps;
import org.qat4j.core.fixed.TrainingQuantization;
import org.qat4j.core.train.RangeObserver;
import org.qat4j.core.train.StepConstraint;
import org.qat4j.hgq.kernel.HgqBitOps;
import org.qat4j.hgq.kernel.ParameterScope;

/**
 * A fixed-point quantizer with trainable fractional bits at a chosen granularity (HGQ, arXiv
 * 2405.00645, §3–4): {@code xq = R(x·2^f)·2^-f}, f trained through the surrogate gradient
 * {@code ∂xq/∂f = −ln2·(xq − x)} (eq. 6), integer bits from recorded ranges (v1) or trained (HGQ2).
 *
 * <p>Lifecycle: initialise (bits from the defaults, or for weights {@code f = b0 − floor(log2 max|w|) − 1})
 * → train (each step: forward records ranges; after the step {@link #afterStep()} clips bits to the
 * float32-exact range; each epoch {@link #resetRanges()}) → calibrate ({@link #setCalibrating},
 * re-derives integer bits from calibration data) → export ({@link #formats()}).
 *
 * <p>Parameters (saved with the model): {@code fbits} (trainable), {@code ibits} and {@code kbits}
 * (integer and sign bits; trainable i in {@link IntegerBitsMode#TRAINABLE} mode), {@code range_min}
 * and {@code range_max} (non-trainable observers of the quantized values). All have the bit shape: the
 * value shape with shared axes reduced to 1. The range is {@link HgqRangeRecorder}'s, the formats the
 * parameters stand for {@link HgqFormatView}'s, what the bits cost {@link HgqBitCost}'s; the training
 * quantizer's options are {@link HgqQuantizerConfig#fakeQuantizeOptions()}.
 */
public final class HgqQuantizer extends AbstractBlock implements StepConstraint, RangeObserver {

    private static final byte VERSION = 1;

    private HgqQuantizerConfig config;
    private final Parameter fBits;
    private final Parameter iBits;
    private final Parameter kBits;
    private final HgqRangeRecorder ranges;
    private final HgqFormatView view;
    private Shape bitShape;
    private long sharing = 1;
    private boolean calibrating;
    private Supplier<NDArray> initialValues;
    private NDArray lastMantissa;
    private NDArray lastMantissaOf;

    /**
     * Creates a quantizer.
     *
     * @param config the settings
     */
    public HgqQuantizer(HgqQuantizerConfig config) {
        super(VERSION);
        this.config = config;
        fBits = addParameter(Parameter.builder()
                .setName("fbits")
                .setType(Parameter.Type.OTHER)
                .optInitializer((manager, shape, dataType) -> initialFractionalBits(manager, shape, dataType))
                .build());
        boolean trainableI = config.integerBits() == IntegerBitsMode.TRAINABLE;
        iBits = addParameter(Parameter.builder()
                .setName("ibits")
                .setType(Parameter.Type.OTHER)
                .optRequiresGrad(trainableI)
                .optInitializer(new ConstantInitializer(config.initialIntegerBits()))
                .build());
        kBits = addParameter(Parameter.builder()
                .setName("kbits")
                .setType(Parameter.Type.OTHER)
                .optRequiresGrad(false)
                .optInitializer(new ConstantInitializer(config.signed() ? 1 : 0))
                .build());
        ranges = new HgqRangeRecorder(this::addParameter);
        view = new HgqFormatView(this);
    }

    /** The settings. */
    public HgqQuantizerConfig getConfig() {
        return config;
    }

    /**
     * For weight quantizers: the tensor whose values set the initial fractional bits
     * ({@code f = b0 − floor(log2 max|w|) − 1} per group). Must be called before initialisation.
     */
    public void setInitialValues(Supplier<NDArray> values) {
        this.initialValues = values;
    }

    /** The shape of the bit parameters (value shape with shared axes set to 1). */
    public Shape getBitShape() {
        return bitShape;
    }

    /** How many values share one bit parameter (1 per element; batch not counted). */
    public long getSharing() {
        return sharing;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        deriveBitShape(inputShapes[0]);
        for (Parameter p : List.of(fBits, iBits, kBits, ranges.min, ranges.max)) {
            p.setShape(bitShape);
        }
    }

    private void deriveBitShape(Shape valueShape) {
        bitShape = BitGroups.bitShape(config, valueShape);
        sharing = BitGroups.sharing(config, valueShape, bitShape);
    }

    private NDArray initialFractionalBits(NDManager manager, Shape shape, DataType dataType) {
        if (config.role() != QuantizerRole.WEIGHT || initialValues == null) {
            return manager.full(shape, (float) config.initialFractionalBits(), dataType);
        }
        NDArray w = initialValues.get();
        float[] f = BitGroups.initialWeightBits(
                config,
                w.toType(DataType.FLOAT32, false).toFloatArray(),
                w.getShape().getShape(),
                shape.getShape());
        try (NDArray wrapped = manager.create(f, shape)) {
            return wrapped.toType(dataType, false).duplicate();
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(quantize(parameterStore, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    /**
     * Quantizes x. Training: the surrogate-gradient quantizer, and activations record their range.
     * Evaluation: the exact quantizer with the current integer formats (see {@link #formats()}).
     *
     * @param ps the parameter store
     * @param x the values, attached to the batch's manager
     * @param training true in a training forward pass
     * @return the quantized values, attached to x's manager
     */
    public NDArray quantize(ParameterStore ps, NDArray x, boolean training) {
        NDManager outer = x.getManager();
        NDArray f = value(ps, fBits, x, training);
        NDArray i = value(ps, iBits, x, training);
        NDArray k = value(ps, kBits, x, training);
        try (ParameterScope ignored = ParameterScope.open(outer, f, i, k)) {
            boolean fromData = config.integerBits() == IntegerBitsMode.FROM_DATA;
            boolean activation = config.role() == QuantizerRole.ACTIVATION;
            NDArray out;
            if (training) {
                if (fromData) {
                    out = trainingForwardFromData(x, f);
                } else {
                    out = FixedPointOps.fakeQuantize(
                            x,
                            k,
                            HgqBitOps.roundStraightThrough(scaledGradient(i)),
                            HgqBitOps.roundStraightThrough(scaledGradient(f)),
                            config.fakeQuantizeOptions());
                }
                if (fromData && activation) {
                    record(ps, out, x);
                }
            } else {
                NDArray fr = f.round();
                if (fromData && (!activation || calibrating)) {
                    out = FixedPointOps.quantizeUnbounded(x, fr, config.rounding());
                    if (activation) {
                        record(ps, out, x);
                    }
                } else {
                    if (fromData && ranges.isDirty()) {
                        refreshIntegerBits();
                    }
                    out = FixedPointOps.quantize(x, k, i.round(), fr, config.rounding(), config.overflow());
                }
            }
            out.attach(outer);
            return out;
        }
    }

    /**
     * HGQ v1's training quantizer (no overflow in training; integer bits come from the recorded range):
     * the forward is the exact quantizer's value bit for bit, {@code ∂xq/∂x = 1},
     * {@code ∂xq/∂f = −ln2·s·(xq − x)} with s the shared-bit gradient scale. Weight quantizers keep the
     * mantissas for the EBOPs estimate.
     */
    private NDArray trainingForwardFromData(NDArray x, NDArray f) {
        boolean weight = config.role() == QuantizerRole.WEIGHT;
        // the bits round half to even, as the exported formats round them (Math.rint)
        TrainingQuantization q = FixedPointOps.fakeQuantizeUnbounded(x, f, config.rounding(), gradientScale(), weight);
        lastMantissa = q.mantissa();
        lastMantissaOf = weight ? q.value() : null;
        return q.value();
    }

    /** The factor HGQ v1 puts on the gradient of shared bits: {@code 1/sqrt(sharing)}, or 1. */
    public double gradientScale() {
        return !config.scaleSharedGradient() || sharing <= 1 ? 1.0 : 1.0 / Math.sqrt(sharing);
    }

    private static NDArray value(ParameterStore ps, Parameter p, NDArray x, boolean training) {
        return value(ps, p, x.getDevice(), training);
    }

    static NDArray value(ParameterStore ps, Parameter p, ai.djl.Device device, boolean training) {
        return ps == null ? p.getArray() : ps.getValue(p, device, training);
    }

    /** {@code b·c + stopgrad(b·(1 − c))}: value b, gradient scaled by c = 1/sqrt(sharing) (HGQ v1). */
    NDArray scaledGradient(NDArray bits) {
        if (!config.scaleSharedGradient() || sharing <= 1) {
            return bits;
        }
        NDManager m = bits.getManager();
        NDArray scaled = bits.mul(NativeArrays.full(m, gradientScale(), bits.getDataType()));
        return scaled.add(bits.sub(scaled).stopGradient());
    }

    private void record(ParameterStore ps, NDArray quantized, NDArray x) {
        ranges.record(ps, quantized, x, bitShape);
    }

    /**
     * Differentiable estimate of the bits of this activation quantizer's values, in the bit shape:
     * {@code relu(k + i + round(f))}, gradient through f only ({@link HgqBitCost#activationBits}).
     */
    public NDArray activationBitsEstimate(ParameterStore ps, NDManager manager, boolean training) {
        return HgqBitCost.activationBits(this, ps, manager, training);
    }

    /**
     * The significant bits of quantized weights {@code wq} (value shape, no gradient):
     * {@code floor(log2|m|) + 1} for the mantissa {@code m = wq·2^round(f)}, 0 where {@code wq = 0}.
     * Uses the mantissas kept by the training forward that produced wq when available.
     */
    public NDArray weightBitLengths(ParameterStore ps, NDArray wq) {
        if (lastMantissaOf == wq && lastMantissa != null && !lastMantissa.isReleased()) {
            NDArray m = lastMantissa;
            lastMantissa = null; // consumed
            lastMantissaOf = null;
            return HgqBitOps.bitLengthsConsuming(m);
        }
        NDManager outer = wq.getManager();
        NDArray f = value(ps, fBits, wq, false);
        try (ParameterScope ignored = ParameterScope.open(outer, f)) {
            NDArray bits = HgqBitOps.bitLengthsConsuming(
                    wq.stopGradient().mul(HgqBitOps.pow2(f.stopGradient().round())));
            bits.attach(outer);
            return bits;
        }
    }

    /** {@code bitL1 · (Σ f + Σ i if trainable)}, attached to manager; null when bitL1 = 0 ({@link HgqBitCost}). */
    public NDArray bitL1Term(ParameterStore ps, NDManager manager) {
        return HgqBitCost.bitL1(this, ps, manager);
    }

    /** Clips f (and trainable i) to the configured float32-exact ranges, in place. */
    @Override
    public void afterStep() {
        clipInPlace(fBits.getArray(), config.minFractionalBits(), config.maxFractionalBits());
        if (config.integerBits() == IntegerBitsMode.TRAINABLE) {
            clipInPlace(iBits.getArray(), config.minIntegerBits(), config.maxIntegerBits());
        }
    }

    private static void clipInPlace(NDArray p, int lo, int hi) {
        try (NDManager sub = p.getManager().newSubManager();
                NoGradScope ignored = NoGradScope.open()) {
            sub.tempAttachAll(p);
            // masked fills in place: two boolean masks, no float temporary, no host read
            p.set(p.gt(hi), hi);
            p.set(p.lt(lo), lo);
        }
    }

    /** Forgets the recorded range (activations with integer bits from data; a no-op otherwise). */
    @Override
    public void resetRanges() {
        if (config.role() != QuantizerRole.ACTIVATION || config.integerBits() != IntegerBitsMode.FROM_DATA) {
            return;
        }
        ranges.reset();
    }

    /**
     * In calibration mode ("trace min/max"), evaluation forwards quantize without overflow and record
     * the range; leaving it derives the integer bits from what was recorded.
     */
    public void setCalibrating(boolean calibrating) {
        if (this.calibrating && !calibrating && ranges.isDirty()) {
            refreshIntegerBits();
        }
        this.calibrating = calibrating;
    }

    /** Whether this quantizer is in calibration mode. */
    public boolean isCalibrating() {
        return calibrating;
    }

    /** Re-derives i and k of an activation quantizer from the recorded range (exact, in Java). */
    public void refreshIntegerBits() {
        view.refreshIntegerBits();
    }

    /**
     * The exact formats of an activation quantizer (or a TRAINABLE weight quantizer) at inference, one
     * per bit group in C order of {@link #getBitShape()}; refreshes data-derived integer bits first.
     * The rounding and overflow modes are {@link HgqQuantizerConfig#rounding()} and
     * {@link HgqQuantizerConfig#overflow()}.
     */
    public QuantizerFormats formats() {
        if (ranges.isDirty()) {
            refreshIntegerBits();
        }
        return new QuantizerFormats(bitShape.getShape(), view.compute(), config.rounding(), config.overflow());
    }

    /** The integer fractional bits {@code rint(f)} per bit group, C order. */
    public int[] fractionalBits() {
        return view.fractionalBits();
    }

    /**
     * Reads quantized values back as exact integer mantissas on this quantizer's per-element grid.
     *
     * @param quantized the output of {@link #quantize} in evaluation mode, of the value shape
     * @return the constant, with {@code rint(f)} broadcast to every element
     * @throws IllegalStateException if a value is not on its grid (would mean a broken forward)
     */
    public QuantizedConstant toConstant(NDArray quantized) {
        return view.toConstant(quantized);
    }

    /** The fractional-bit parameter (for tests and optimisers). */
    public Parameter getFractionalBitsParameter() {
        return fBits;
    }

    /** The integer-bit parameter. */
    public Parameter getIntegerBitsParameter() {
        return iBits;
    }

    /** The sign-bit parameter {@code kbits}. */
    Parameter signBits() {
        return kBits;
    }

    /** The recorded range ({@code range_min}, {@code range_max}). */
    HgqRangeRecorder ranges() {
        return ranges;
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        if (ranges.isDirty() && fBits.isInitialized()) {
            refreshIntegerBits();
        }
        super.saveMetadata(os);
        config.write(os);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "HgqQuantizer: unknown parameter version " + loadVersion + " (this library reads " + VERSION + ")");
        }
        readInputShapes(is);
        HgqQuantizerConfig saved = HgqQuantizerConfig.read(is);
        if (saved.role() != config.role() || saved.integerBits() != config.integerBits()) {
            throw new MalformedModelException(String.format(
                    "HgqQuantizer: the model file holds a %s quantizer with integerBits %s, the block was built"
                            + " as %s with %s",
                    saved.role(), saved.integerBits(), config.role(), config.integerBits()));
        }
        config = saved;
        deriveBitShape(inputShapes[0]);
        ranges.markClean();
    }
}
