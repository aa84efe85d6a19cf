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
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.qat4j.a2q.kernel.ActivationFakeQuantization;
import org.qat4j.core.engine.NativeArrays;
import org.qat4j.core.engine.NoGradScope;

/**
 * Quantizes activations to N-bit integers with one learned per-tensor scale s (Brevitas-style
 * {@code Int8ActPerTensorFloat} / {@code Uint8ActPerTensorFloat}, as used by A2Q, arXiv 2308.13504, Sec. 5):
 *
 * <pre>
 *   x_int = clamp(round_half_even(x / s), x_min, x_max)      unsigned: [0, 2^N − 1]; signed: [−2^(N−1), 2^(N−1) − 1]
 *   output = x_int · s                                         (float32, one multiplication)
 * </pre>
 *
 * <p>Gradients: the rounding is straight-through, so {@code ∂out/∂x = 1} inside the range and 0 outside, and
 * {@code ∂out/∂s = x_int − x/s} inside, {@code x_min} or {@code x_max} outside: the learned-step-size gradient of
 * LSQ (Esser et al., arXiv 1902.08153, Eq. 3) without its gradient-scale factor, which is what autograd gives for
 * {@code s · clamp(round_ste(x/s))}. s is kept positive as {@code max(|scale|, 1e-10)}.
 *
 * <p>Initialization: during the first {@code calibrationSteps} training forwards, s is set to the running mean of
 * {@code absmax(x) / x_max} over those batches (no gradient is applied to it then); afterwards s is learned.
 * Without calibration s keeps its initial value. The number of calibration steps done is a non-trained parameter,
 * so it is saved with the model. With {@code optTrainableScale(false)} s is fixed after calibration (for the
 * quantizer of the data input).
 */
public final class ActivationQuantizer extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float MIN_SCALE = 1e-10f;

    private int bits;
    private boolean signed;
    private int calibrationSteps;
    private final Parameter scale;
    private final Parameter calibrated;
    private boolean calibrationDone;
    private final boolean trainableScale;

    private ActivationQuantizer(Builder b) {
        super(VERSION);
        this.bits = b.bits;
        this.signed = b.signed;
        this.calibrationSteps = b.calibrationSteps;
        this.scale = addParameter(Parameter.builder()
                .setName("scale")
                .setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(b.initialScale))
                .optRequiresGrad(b.trainableScale)
                .optShape(new Shape(1))
                .build());
        this.trainableScale = b.trainableScale;
        this.calibrated = addParameter(Parameter.builder()
                .setName("calibrated")
                .setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(0f))
                .optRequiresGrad(false)
                .optShape(new Shape(1))
                .build());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** N. */
    public int getBits() {
        return bits;
    }

    /** σ: true for a signed range. */
    public boolean isSigned() {
        return signed;
    }

    /** Smallest integer: {@code −2^(N−1)} signed, 0 unsigned. */
    public long minInt() {
        return signed ? -(1L << (bits - 1)) : 0L;
    }

    /** Largest integer: {@code 2^(N−1) − 1} signed, {@code 2^N − 1} unsigned. */
    public long maxInt() {
        return signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
    }

    /** True if s is learned (otherwise fixed after calibration). */
    public boolean isScaleTrainable() {
        return trainableScale;
    }

    /** The learned-scale parameter (trainable; excluded from weight decay by {@code A2qOptimizers}). */
    public Parameter getScaleParameter() {
        return scale;
    }

    /** The effective scale {@code max(|scale|, 1e-10)} as a float (for export). */
    public float scaleValue() {
        return Math.max(Math.abs(scale.getArray().getFloat()), MIN_SCALE);
    }

    /**
     * The effective scale array {@code max(|scale|, 1e-10)}, shape [1]; the parameter is temporarily attached to
     * {@code scope} so that the result and its temporaries live there (not in the model's manager).
     */
    public NDArray scaleArray(NDManager scope, ParameterStore ps, Device device, boolean training) {
        NDArray raw = ps.getValue(scale, device, training);
        scope.tempAttachAll(raw);
        return raw.abs().maximum(NativeArrays.full(scope, MIN_SCALE));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (training && !calibrationDone) {
            if (calibrated.getArray().getFloat() < calibrationSteps) {
                calibrate(x);
            } else {
                calibrationDone = true;
            }
        }
        NDManager scope = x.getManager().newSubManager();
        try {
            NDArray sRaw = ps.getValue(scale, x.getDevice(), training);
            scope.tempAttachAll(sRaw);
            NDArray s = sRaw.abs().maximum(NativeArrays.full(scope, MIN_SCALE));
            NDArray out = quantizeDequantize(x, s);
            out.attach(x.getManager());
            return new NDList(out);
        } finally {
            scope.close();
        }
    }

    /** {@code clamp(round(x / s)) · s} with LSQ's straight-through gradients; the result lives in x's manager. */
    NDArray quantizeDequantize(NDArray x, NDArray s) {
        return ActivationFakeQuantization.fakeQuantize(x, s, minInt(), maxInt(), trainableScale);
    }

    private void calibrate(NDArray x) {
        try (NoGradScope ignored = NoGradScope.open();
                NDManager tmp = x.getManager().newSubManager()) {
            NDArray xd = x.stopGradient();
            tmp.tempAttachAll(xd);
            float absmax = xd.abs().max().toType(DataType.FLOAT32, false).getFloat();
            float n = calibrated.getArray().getFloat();
            float candidate = Math.max(absmax / (float) maxInt(), MIN_SCALE);
            float current = Math.abs(scale.getArray().getFloat());
            float next = n == 0 ? candidate : current + (candidate - current) / (n + 1);
            NDArray s = scale.getArray();
            s.subi(s.sub(next));
            NDArray c = calibrated.getArray();
            c.addi(1f);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeInt(bits);
        os.writeBoolean(signed);
        os.writeInt(calibrationSteps);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("ActivationQuantizer: unsupported version " + loadVersion);
        }
        readInputShapes(is);
        int b = is.readInt();
        boolean s = is.readBoolean();
        int c = is.readInt();
        if (b != bits || s != signed) {
            throw new MalformedModelException("ActivationQuantizer: file has bits=" + b + ", signed=" + s
                    + " but the block was built with bits=" + bits + ", signed=" + signed);
        }
        calibrationSteps = c;
    }

    @Override
    public String toString() {
        return "ActivationQuantizer(bits=" + bits + ", signed=" + signed + ")";
    }

    /** Builder: {@code setBits} required; {@code optSigned}, {@code optInitialScale}, {@code optCalibrationSteps}. */
    public static final class Builder {
        private int bits = -1;
        private boolean signed = true;
        private float initialScale = Float.NaN;
        private int calibrationSteps = 1;
        private boolean trainableScale = true;

        /** N ∈ [1, 16]. */
        public Builder setBits(int bits) {
            this.bits = bits;
            return this;
        }

        /** σ; default signed. Use unsigned after a ReLU. */
        public Builder optSigned(boolean signed) {
            this.signed = signed;
            return this;
        }

        /** Initial s; default {@code 1 / x_max} (the range [0, 1] or [−1, 1]). */
        public Builder optInitialScale(float initialScale) {
            this.initialScale = initialScale;
            return this;
        }

        /** Training forwards whose absmax statistics set s before it is learned; default 1, 0 disables. */
        public Builder optCalibrationSteps(int steps) {
            this.calibrationSteps = steps;
            return this;
        }

        /**
         * Whether s is learned after calibration (default true). Set false for the quantizer of the model's data
         * input: its scale is then fixed by calibration (or the initial value), and no gradient has to flow back
         * into the first layer's input, which saves a costly input-gradient of the first convolution.
         */
        public Builder optTrainableScale(boolean trainable) {
            this.trainableScale = trainable;
            return this;
        }

        public ActivationQuantizer build() {
            if (bits < 1 || bits > 16) {
                throw new IllegalArgumentException("bits (N) must be in [1, 16], got " + bits);
            }
            if (signed && bits < 2) {
                throw new IllegalArgumentException("bits (N) must be >= 2 for a signed input, got " + bits);
            }
            if (calibrationSteps < 0) {
                throw new IllegalArgumentException("calibrationSteps must be >= 0, got " + calibrationSteps);
            }
            if (Float.isNaN(initialScale)) {
                initialScale = 1f / (float) (signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1);
            }
            if (!(initialScale > 0) || Float.isInfinite(initialScale)) {
                throw new IllegalArgumentException("initialScale must be finite and > 0, got " + initialScale);
            }
            return new ActivationQuantizer(this);
        }
    }
}
