package org.qat4j.a2q.nn;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.qat4j.a2q.kernel.WeightNormQuantization;
import org.qat4j.a2q.quant.A2qWeightQuantizer;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.a2q.quant.QuantizedWeights;
import org.qat4j.core.engine.NativeArrays;
import org.qat4j.core.nn.AbstractQuantizedLayer;
import org.qat4j.core.nn.LayerGeometry;
import org.qat4j.core.train.LossContributor;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * Common part of {@link QLinear}, {@link QConv1d} and {@link QConv2d}: an integer dot product of N-bit inputs and
 * M-bit weights, then the scales, in this fixed float32 order (so a pure-Java integer runtime can repeat it bit for
 * bit):
 *
 * <pre>
 *   x_int = round(x / s_x)                 the input's integers (exact: x is x_int·s_x from the input quantizer)
 *   q     = integer weights (A2qWeightQuantizer; A2Q / A2Q+ / unconstrained)
 *   acc   = Σ_i q_i · x_int,i             computed on integer-valued float32 tensors, exact while every partial
 *                                          sum stays below 2^24 (certified for A2Q / A2Q+ layers with P ≤ 24)
 *   out   = acc · (s_x · s_c)  [+ bias_c]  one float32 product s_x·s_c per channel, one multiplication, then the
 *                                          float32 bias (not quantized) in one addition
 * </pre>
 *
 * <p>This is the evaluation forward (the one exported and compared bit for bit). The training forward computes the
 * algebraically equal {@code conv(x_int·s_x, s_c·q) + b} on the fake-quantized tensors (Brevitas' training graph):
 * same gradients, ulp-level float differences, and no per-step re-derivation of the integers of large activation
 * tensors. A layer without a quantized input (unconstrained only) always uses the fake-quantized form.
 *
 * <p>The input quantizer is either owned ({@code optInputQuantizer}: the layer quantizes its raw input first,
 * Brevitas' {@code input_quant}) or the quantizer of the block that directly precedes it ({@code optInputFrom}: a
 * {@link QReLU} or {@link QIdentity}). N and σ of the bound T are read from that quantizer, never configured twice.
 * An A2Q / A2Q+ layer without a quantized input refuses to build. Each constrained layer adds
 * {@code λ·Σ_c relu(g_c − T·s_c)} (λ = 1e-3, arXiv 2308.13504, Sec. 4.2) to the training loss as a
 * {@link LossContributor}. The shape side (weight and output shapes, the linear or convolution op) is the
 * common template's {@link AbstractQuantizedLayer} and {@link LayerGeometry}.
 */
public abstract class AbstractQLayer extends AbstractQuantizedLayer {

    protected final A2qWeightQuantizer weightQuantizer;
    private final ActivationQuantizer ownedInput;
    private final ActivationQuantizer externalInput;
    private final Parameter bias;
    private final float regularization;
    private final int outChannels;

    protected AbstractQLayer(QLayerBuilder<?> b, LayerGeometry geometry) {
        super(geometry);
        this.outChannels = Math.toIntExact(geometry.outputChannels());
        this.regularization = b.regularization;
        this.weightQuantizer =
                addChildBlock("weightQuantizer", new A2qWeightQuantizer(b.variant, b.weightBits, b.accumulatorBits));
        this.ownedInput = b.ownedInput == null ? null : addChildBlock("inputQuantizer", b.ownedInput);
        this.externalInput = b.inputFrom == null ? null : b.inputFrom.getQuantizer();
        this.bias = b.hasBias()
                ? addParameter(Parameter.builder()
                        .setName("bias")
                        .setType(Parameter.Type.BIAS)
                        .optInitializer(new ConstantInitializer(0f))
                        .build())
                : null;
    }

    /** The integer dot product (Linear.linear / conv) of integer-valued tensors, without bias. */
    protected NDArray integerOp(NDArray xInt, NDArray q) {
        return geometry().apply(xInt, q, null);
    }

    /** Shape that broadcasts a per-channel [C] vector against the op's output (e.g. [C], [C,1], [C,1,1]). */
    protected Shape channelBroadcastShape() {
        return geometry().channelBroadcastShape();
    }

    /** The input quantizer (owned or the preceding block's), or null if the input is not quantized. */
    public ActivationQuantizer getInputQuantizer() {
        return ownedInput != null ? ownedInput : externalInput;
    }

    /** True if the layer quantizes its own input (the quantizer is a child block). */
    public boolean ownsInputQuantizer() {
        return ownedInput != null;
    }

    public A2qWeightQuantizer getWeightQuantizer() {
        return weightQuantizer;
    }

    public Variant getVariant() {
        return weightQuantizer.getVariant();
    }

    /** P. */
    public int getAccumulatorBits() {
        return weightQuantizer.getAccumulatorBits();
    }

    /** M. */
    public int getWeightBits() {
        return weightQuantizer.getWeightBits();
    }

    /** N (requires a quantized input). */
    public int getInputBits() {
        return requireInput().getBits();
    }

    /** σ (requires a quantized input). */
    public boolean isInputSigned() {
        return requireInput().isSigned();
    }

    /** s_x (requires a quantized input). */
    public float getInputScale() {
        return requireInput().scaleValue();
    }

    /** Output channels C. */
    public int getOutChannels() {
        return outChannels;
    }

    /** The float32 bias per channel, or null. */
    public float[] getBias() {
        return bias == null
                ? null
                : bias.getArray().toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** The bias parameter, or null. */
    public Parameter getBiasParameter() {
        return bias;
    }

    /** The regularization weight λ. */
    public float getRegularization() {
        return regularization;
    }

    /** The integer weights per channel (as long[]), s_c and the diagnostics, for export. */
    public QuantizedWeights quantizedWeights() {
        ActivationQuantizer in = getInputQuantizer();
        return in == null
                ? weightQuantizer.snapshot(8, true) // unconstrained without quantized input: N unused
                : weightQuantizer.snapshot(in.getBits(), in.isSigned());
    }

    /** EP-init (A2Q+ paper, Sec. 4.2) with this layer's N and σ. */
    public void epInit() {
        weightQuantizer.epInit(getInputBits(), isInputSigned());
    }

    private ActivationQuantizer requireInput() {
        ActivationQuantizer in = getInputQuantizer();
        if (in == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " has no quantized input");
        }
        return in;
    }

    @Override
    public NDArray lossTerm(NDManager manager) {
        ActivationQuantizer in = getInputQuantizer();
        if (!getVariant().isConstrained() || regularization == 0f) {
            return manager.zeros(new Shape());
        }
        NDArray penalty = weightQuantizer.normPenalty(manager, in.getBits(), in.isSigned());
        return penalty.mul(NativeArrays.full(manager, regularization));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device device = x.getDevice();
        NDManager batch = x.getManager();
        NDArray in = ownedInput == null
                ? x
                : ownedInput.forward(ps, new NDList(x), training, params).head();
        ActivationQuantizer iq = getInputQuantizer();
        NDManager scope = batch.newSubManager();
        try {
            NDArray[] scale = new NDArray[1];
            int n = iq == null ? 8 : iq.getBits();
            boolean signed = iq == null || iq.isSigned();
            WeightNormQuantization.Result r = weightQuantizer.quantize(scope, ps, device, training, n, signed, scale);
            NDArray out;
            if (iq == null || training) {
                // fake-quantized weights s_c·q: algebraically the same as the integer path, without re-deriving
                // the input integers of large activation tensors on every training step
                NDArray q = r.intWeights();
                long[] ones = new long[q.getShape().dimension()];
                java.util.Arrays.fill(ones, 1);
                ones[0] = scale[0].getShape().get(0);
                out = integerOp(in, q.mul(scale[0].reshape(new Shape(ones))));
            } else {
                NDArray sc = scale[0].reshape(channelBroadcastShape());
                NDArray sx = iq.scaleArray(scope, ps, device, training);
                NDArray y = in.div(sx);
                NDArray xInt = y.round();
                NDArray acc = integerOp(xInt, r.intWeights());
                out = acc.mul(sx.mul(sc));
            }
            if (bias != null) {
                NDArray b = ps.getValue(bias, device, training);
                scope.tempAttachAll(b);
                // in place: the op's backward keeps its inputs, not its output, so no full-size copy is needed
                out = out.addi(b.reshape(channelBroadcastShape()));
            }
            out.attach(batch);
            return new NDList(out);
        } finally {
            scope.close();
        }
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        if (bias != null) {
            bias.setShape(new Shape(outChannels));
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        weightQuantizer.initialize(manager, dataType, weightShape(inputShapes[0]));
        if (ownedInput != null) {
            ownedInput.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    protected void saveMethodMetadata(DataOutputStream os) throws IOException {
        os.writeInt(outChannels);
        os.writeBoolean(bias != null);
        os.writeBoolean(ownedInput != null);
        os.writeFloat(regularization);
    }

    @Override
    protected void loadMethodMetadata(DataInputStream is) throws IOException, MalformedModelException {
        int c = is.readInt();
        boolean hasBias = is.readBoolean();
        boolean owns = is.readBoolean();
        is.readFloat();
        if (c != outChannels || hasBias != (bias != null) || owns != (ownedInput != null)) {
            throw new MalformedModelException(getClass().getSimpleName() + ": file has outChannels=" + c + ", bias="
                    + hasBias + ", ownsInputQuantizer=" + owns + " but the block was built with outChannels="
                    + outChannels + ", bias=" + (bias != null) + ", ownsInputQuantizer=" + (ownedInput != null));
        }
    }
}
