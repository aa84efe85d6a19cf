package org.qat4j.hgq.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.core.nn.AbstractQuantizedLayer;
import org.qat4j.core.nn.LayerGeometry;
import org.qat4j.hgq.kernel.ParameterScope;
import org.qat4j.hgq.quant.HgqQuantizer;
import org.qat4j.hgq.quant.QuantizedConstant;
import org.qat4j.hgq.quant.QuantizerFormats;

/**
 * HGQ's quantized layer with weights (dense and convolution) on the common template
 * {@link AbstractQuantizedLayer}, arXiv 2405.00645 §3–5:
 *
 * <pre>
 *   y = act( op( iq(x), kq(W'), bq(b') ) )      with (W', b') = (W, b), or BN folded in:
 *   W' = W·γ/sqrt(σ² + ε),  b' = β_bn + (b − μ)·γ/sqrt(σ² + ε)   (batch statistics in training)
 * </pre>
 *
 * What is quantized and why: the input (iq, per-feature or per-channel bits; its widths are the
 * {@code b_in} of EBOPs), the kernel (kq, per-weight bits by default; trailing zeros free) and the bias
 * (bq). The output is not quantized: with quantized operands the dot products are exact sums on a
 * common power-of-two grid (exact in float32 while that accumulator stays below 2^24, else run in
 * FLOAT64), and the next layer's input quantizer requantizes them — so an integer runtime repeats
 * the evaluation forward bit for bit. The fused batch norm is {@link FusedBatchNorm}; the loss term and
 * EBOPs are {@link HgqLayerCost}'s. Parameter order in saved files: weight, bias, the batch norm's four,
 * then the quantizers iq, kq, bq.
 */
public abstract class AbstractHgqLayer extends AbstractQuantizedLayer implements HgqLayer {

    protected final HgqQuantizer inputQuantizer;
    protected final HgqQuantizer kernelQuantizer;
    protected final HgqQuantizer biasQuantizer;
    protected final Parameter weight;
    protected final Parameter bias;
    private final boolean useBias;
    private final FusedBatchNorm batchNorm;
    private final HgqLayerCost cost;
    private HActivationType activation;
    private float bnMomentum;
    private float bnEpsilon;

    protected AbstractHgqLayer(HgqLayerBuilder<?> b, LayerGeometry geometry) {
        super(geometry);
        HgqLayerSettings s = b.settings;
        this.useBias = b.hasBias();
        this.activation = s.activation;
        this.bnMomentum = s.bnMomentum;
        this.bnEpsilon = s.bnEpsilon;
        this.cost = new HgqLayerCost(this, s.beta);
        weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .build());
        bias = useBias
                ? addParameter(Parameter.builder()
                        .setName("bias")
                        .setType(Parameter.Type.BIAS)
                        .build())
                : null;
        batchNorm = s.fusedBatchNorm ? new FusedBatchNorm(this::addParameter) : null;
        inputQuantizer = addChildBlock("iq", new HgqQuantizer(s.inputConfig));
        kernelQuantizer = addChildBlock("kq", new HgqQuantizer(s.kernelConfig));
        kernelQuantizer.setInitialValues(() -> weight.getArray());
        biasQuantizer = useBias || batchNorm != null ? addChildBlock("bq", new HgqQuantizer(s.biasConfig)) : null;
    }

    /** Validates the input shape; throws IllegalArgumentException naming the layer and shape. */
    protected abstract void checkInputShape(Shape inputShape);

    /** @deprecated the template's name is {@link #weightShape(Shape)}. */
    @Deprecated
    protected final Shape kernelShape(Shape inputShape) {
        return weightShape(inputShape);
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        checkInputShape(inputShapes[0]);
        weight.setShape(weightShape(inputShapes[0]));
        Shape channels = new Shape(outputChannels());
        if (bias != null) {
            bias.setShape(channels);
        }
        if (batchNorm != null) {
            batchNorm.setShapes(channels);
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        inputQuantizer.initialize(manager, dataType, inputShapes[0]);
        kernelQuantizer.initialize(manager, dataType, weightShape(inputShapes[0]));
        if (biasQuantizer != null) {
            biasQuantizer.initialize(manager, dataType, new Shape(outputChannels()));
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDManager outer = x.getManager();
        NDArray xq = inputQuantizer.quantize(ps, x, training);
        try (ParameterScope scope = ParameterScope.open(outer)) {
            NDArray[] wb = effectiveWeights(ps, scope, xq, training);
            NDArray wq = kernelQuantizer.quantize(ps, wb[0], training);
            NDArray bq = wb[1] == null ? null : biasQuantizer.quantize(ps, wb[1], training);
            NDArray out = geometry().apply(xq, wq, bq);
            if (activation == HActivationType.RELU) {
                out = ai.djl.nn.Activation.relu(out);
            }
            if (training && cost.beta() > 0) {
                NDArray bits = kernelQuantizer.weightBitLengths(ps, wq);
                bits.attach(outer);
                cost.afterTrainingForward(bits);
            }
            out.attach(outer);
            return new NDList(out);
        }
    }

    /** (W', b'): the kernel and bias fed to the quantizers, with batch norm folded in when fused. */
    private NDArray[] effectiveWeights(ParameterStore ps, ParameterScope sub, NDArray xq, boolean training) {
        NDArray w = FusedBatchNorm.value(ps, weight, xq, training);
        NDArray b = bias == null ? null : FusedBatchNorm.value(ps, bias, xq, training);
        sub.lend(w, b);
        if (batchNorm == null) {
            return new NDArray[] {w, b};
        }
        return batchNorm.fold(
                ps,
                sub,
                w,
                b,
                xq,
                training,
                () -> geometry().apply(xq, w, null),
                outputChannels(),
                bnMomentum,
                bnEpsilon);
    }

    /** The kernel's bit lengths now (BN folded with running statistics), for an EBOPs estimate. */
    NDArray currentWeightBits(NDManager manager) {
        try (ParameterScope scope = ParameterScope.open(manager)) {
            NDArray[] wb = effectiveWeightsForEval(scope);
            NDArray wq = kernelQuantizer.quantize(null, wb[0], true);
            NDArray bits = kernelQuantizer.weightBitLengths(null, wq);
            bits.attach(manager);
            return bits;
        }
    }

    /** (W', b') with running statistics; parameter arrays are temporarily attached to sub. */
    private NDArray[] effectiveWeightsForEval(ParameterScope scope) {
        NDArray probe = scope.manager().zeros(new Shape(1));
        return effectiveWeights(null, scope, probe, false);
    }

    /** The quantized kernel at inference (BN folded with running statistics), exact mantissas. */
    public QuantizedConstant quantizedKernel() {
        return quantizedAtInference(kernelQuantizer, 0);
    }

    /** The quantized bias at inference (BN folded), or null when the layer has no bias. */
    public QuantizedConstant quantizedBias() {
        return biasQuantizer == null ? null : quantizedAtInference(biasQuantizer, 1);
    }

    private QuantizedConstant quantizedAtInference(HgqQuantizer q, int which) {
        try (NDManager temp = NDManager.newBaseManager(weight.getArray().getDevice());
                NoGradScope ignored = NoGradScope.open()) {
            try (ParameterScope scope = ParameterScope.open(temp)) {
                NDArray[] wb = effectiveWeightsForEval(scope);
                return q.toConstant(q.quantize(null, wb[which], false));
            }
        }
    }

    /** The exact formats of the input quantizer (calibrate first for data-derived integer bits). */
    public QuantizerFormats inputFormats() {
        return inputQuantizer.formats();
    }

    @Override
    public NDArray lossTerm(NDManager manager) {
        return cost.lossTerm(manager);
    }

    @Override
    public NDArray ebopsEstimate(NDManager manager) {
        return cost.ebopsEstimate(manager);
    }

    @Override
    public long exactEbops() {
        return cost.exactEbops();
    }

    @Override
    public long multiplications() {
        return weight.getArray().getShape().size();
    }

    /** The bias parameter, or null when the layer has no bias. */
    public Parameter getBiasParameter() {
        return bias;
    }

    /** The three quantizers (bias quantizer absent when the layer has no bias). */
    public List<HgqQuantizer> quantizers() {
        return biasQuantizer == null
                ? List.of(inputQuantizer, kernelQuantizer)
                : List.of(inputQuantizer, kernelQuantizer, biasQuantizer);
    }

    public HgqQuantizer getInputQuantizer() {
        return inputQuantizer;
    }

    public HgqQuantizer getKernelQuantizer() {
        return kernelQuantizer;
    }

    public HgqQuantizer getBiasQuantizer() {
        return biasQuantizer;
    }

    public HActivationType getActivation() {
        return activation;
    }

    public boolean hasBias() {
        return useBias;
    }

    public boolean isFusedBatchNorm() {
        return batchNorm != null;
    }

    public float getBatchNormMomentum() {
        return bnMomentum;
    }

    public float getBatchNormEpsilon() {
        return bnEpsilon;
    }

    public Parameter getWeight() {
        return weight;
    }

    @Override
    public void setBeta(double beta) {
        cost.setBeta(beta);
    }

    @Override
    public double getBeta() {
        return cost.beta();
    }

    // ---- persistence: the template writes input shapes, these settings, then the layer kind's ----------

    /** @deprecated the template's name is {@link #saveLayerMetadata}. */
    @Deprecated
    protected final void saveLayerSettings(DataOutputStream os) throws IOException {
        saveLayerMetadata(os);
    }

    /** @deprecated the template's name is {@link #loadLayerMetadata}. */
    @Deprecated
    protected final void loadLayerSettings(DataInputStream is) throws IOException, MalformedModelException {
        loadLayerMetadata(is);
    }

    @Override
    protected void saveMethodMetadata(DataOutputStream os) throws IOException {
        os.writeBoolean(useBias);
        os.writeBoolean(batchNorm != null);
        os.writeUTF(activation.name());
        os.writeFloat(bnMomentum);
        os.writeFloat(bnEpsilon);
        os.writeDouble(cost.beta());
    }

    @Override
    protected void loadMethodMetadata(DataInputStream is) throws IOException, MalformedModelException {
        checkSame("bias", is.readBoolean(), useBias);
        checkSame("fusedBatchNorm", is.readBoolean(), batchNorm != null);
        String act = is.readUTF();
        try {
            activation = HActivationType.valueOf(act);
        } catch (IllegalArgumentException e) {
            throw new MalformedModelException(getClass().getSimpleName() + ": unknown activation '" + act + "'", e);
        }
        bnMomentum = is.readFloat();
        bnEpsilon = is.readFloat();
        setBeta(is.readDouble());
    }
}
