package org.qat4j.hgq.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.hgq.kernel.EbopsEstimate;
import org.qat4j.hgq.kernel.ParameterScope;
import org.qat4j.hgq.quant.HgqQuantizer;
import org.qat4j.hgq.quant.IntegerBitsMode;
import org.qat4j.hgq.quant.QuantizedConstant;
import org.qat4j.hgq.quant.QuantizerFormats;

/**
 * Shared body of the HGQ layers with weights (dense and convolution), arXiv 2405.00645 §3–5:
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
 * the evaluation forward bit for bit.
 */
public abstract class AbstractHgqLayer extends AbstractBlock implements HgqLayer {

    private static final byte VERSION = 1;

    protected final HgqQuantizer inputQuantizer;
    protected final HgqQuantizer kernelQuantizer;
    protected final HgqQuantizer biasQuantizer;
    protected final Parameter weight;
    protected final Parameter bias;
    protected final Parameter bnGamma;
    protected final Parameter bnBeta;
    protected final Parameter runningMean;
    protected final Parameter runningVar;
    private final boolean useBias;
    private final boolean fusedBatchNorm;
    private HActivationType activation;
    private float bnMomentum;
    private float bnEpsilon;
    private double beta;
    private NDArray pendingWeightBits;

    protected AbstractHgqLayer(HgqLayerSettings s) {
        super(VERSION);
        this.useBias = s.useBias;
        this.fusedBatchNorm = s.fusedBatchNorm;
        this.activation = s.activation;
        this.bnMomentum = s.bnMomentum;
        this.bnEpsilon = s.bnEpsilon;
        setBeta(s.beta);
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        bias = useBias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build())
                : null;
        if (fusedBatchNorm) {
            bnGamma = addParameter(Parameter.builder().setName("bn_gamma").setType(Parameter.Type.GAMMA).build());
            bnBeta = addParameter(Parameter.builder().setName("bn_beta").setType(Parameter.Type.BETA).build());
            runningMean = addParameter(Parameter.builder().setName("bn_running_mean")
                    .setType(Parameter.Type.RUNNING_MEAN).optRequiresGrad(false).build());
            runningVar = addParameter(Parameter.builder().setName("bn_running_var")
                    .setType(Parameter.Type.RUNNING_VAR).optRequiresGrad(false).build());
        } else {
            bnGamma = null;
            bnBeta = null;
            runningMean = null;
            runningVar = null;
        }
        inputQuantizer = addChildBlock("iq", new HgqQuantizer(s.inputConfig));
        kernelQuantizer = addChildBlock("kq", new HgqQuantizer(s.kernelConfig));
        kernelQuantizer.setInitialValues(() -> weight.getArray());
        biasQuantizer = useBias || fusedBatchNorm ? addChildBlock("bq", new HgqQuantizer(s.biasConfig)) : null;
    }

    /** The kernel shape for an input of the given shape. */
    protected abstract Shape kernelShape(Shape inputShape);

    /** Number of output channels. */
    protected abstract long outputChannels();

    /** The float operation (linear or convolution) on quantized operands; b may be null. */
    protected abstract NDArray apply(NDArray x, NDArray w, NDArray b);

    /** Validates the input shape; throws IllegalArgumentException naming the layer and shape. */
    protected abstract void checkInputShape(Shape inputShape);

    @Override
    protected void prepare(Shape[] inputShapes) {
        checkInputShape(inputShapes[0]);
        weight.setShape(kernelShape(inputShapes[0]));
        Shape channels = new Shape(outputChannels());
        if (bias != null) {
            bias.setShape(channels);
        }
        if (fusedBatchNorm) {
            bnGamma.setShape(channels);
            bnBeta.setShape(channels);
            runningMean.setShape(channels);
            runningVar.setShape(channels);
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        inputQuantizer.initialize(manager, dataType, inputShapes[0]);
        kernelQuantizer.initialize(manager, dataType, kernelShape(inputShapes[0]));
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
            NDArray out = apply(xq, wq, bq);
            if (activation == HActivationType.RELU) {
                out = ai.djl.nn.Activation.relu(out);
            }
            if (training && beta > 0) {
                NDArray bits = kernelQuantizer.weightBitLengths(ps, wq);
                bits.attach(outer);
                pendingWeightBits = bits;
            }
            out.attach(outer);
            return new NDList(out);
        }
    }

    /** (W', b'): the kernel and bias fed to the quantizers, with batch norm folded in when fused. */
    private NDArray[] effectiveWeights(ParameterStore ps, ParameterScope sub, NDArray xq, boolean training) {
        NDArray w = value(ps, weight, xq, training);
        NDArray b = bias == null ? null : value(ps, bias, xq, training);
        sub.lend(w, b);
        if (!fusedBatchNorm) {
            return new NDArray[] {w, b};
        }
        NDArray gamma = value(ps, bnGamma, xq, training);
        NDArray shift = value(ps, bnBeta, xq, training);
        NDArray rMean = value(ps, runningMean, xq, training);
        NDArray rVar = value(ps, runningVar, xq, training);
        sub.lend(gamma, shift, rMean, rVar);
        NDArray[] stats = training
                ? BatchNormFolding.batchStatistics(apply(xq, w, null), outputChannels(), rMean, rVar, bnMomentum)
                : new NDArray[] {rMean, rVar};
        return BatchNormFolding.fold(w, b, gamma, shift, stats[0], stats[1], bnEpsilon);
    }

    private static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
        return ps == null ? p.getArray() : ps.getValue(p, like.getDevice(), training);
    }

    // ---- loss terms and EBOPs -------------------------------------------------------------------

    @Override
    public NDArray lossTerm(NDManager manager) {
        // with β > 0 the kernel quantizer's bit L1 rides on the EBOPs term's gradient carrier (one gradient
        // for the per-weight bits instead of two), unless its integer bits are trained too
        boolean merged = beta > 0 && kernelQuantizer.getConfig().integerBits() == IntegerBitsMode.FROM_DATA;
        NDArray term = null;
        for (HgqQuantizer q : quantizers()) {
            NDArray t = merged && q == kernelQuantizer ? null : q.bitL1Term(null, manager);
            if (t != null) {
                term = term == null ? t : term.add(t);
            }
        }
        if (beta > 0) {
            NDArray e = ebops(manager, beta, merged ? kernelQuantizer.getConfig().bitL1() : 0);
            term = term == null ? e : term.add(e);
        }
        pendingWeightBits = null;
        return term == null ? manager.zeros(new Shape()) : term;
    }

    @Override
    public NDArray ebopsEstimate(NDManager manager) {
        return ebops(manager, 1, 0);
    }

    /** {@code β·EBOPs + λ·Σ f_w} ({@link EbopsEstimate#lossTerm}). */
    private NDArray ebops(NDManager manager, double scale, double kernelBitL1) {
        NDArray inBits = inputQuantizer.activationBitsEstimate(null, manager, true);
        NDArray wBits = pendingWeightBits;
        pendingWeightBits = null; // the estimate consumes it
        if (wBits == null || wBits.isReleased()) {
            wBits = currentWeightBits(manager);
        }
        NDArray fW = kernelQuantizer.getFractionalBitsParameter().getArray();
        try (ParameterScope ignored = ParameterScope.open(manager, fW)) {
            NDArray estimate = EbopsEstimate.lossTerm(wBits, inBits.reshape(inputBitsAsKernelShape(inBits.getShape())),
                    fW, kernelQuantizer.gradientScale(), scale, kernelBitL1);
            estimate.attach(manager);
            return estimate;
        }
    }

    /** Reshapes the input bit tensor (1, C or 1, 1...) to broadcast against the kernel (O, C, taps...). */
    private Shape inputBitsAsKernelShape(Shape inBitShape) {
        long[] k = new long[weight.getArray().getShape().dimension()];
        java.util.Arrays.fill(k, 1);
        k[1] = inBitShape.get(1);
        return new Shape(k);
    }

    private NDArray currentWeightBits(NDManager manager) {
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
        try (NDManager temp = NDManager.newBaseManager(weight.getArray().getDevice());
                NoGradScope ignored = NoGradScope.open()) {
            try (ParameterScope scope = ParameterScope.open(temp)) {
                NDArray[] wb = effectiveWeightsForEval(scope);
                NDArray wq = kernelQuantizer.quantize(null, wb[0], false);
                return kernelQuantizer.toConstant(wq);
            }
        }
    }

    /** The quantized bias at inference (BN folded), or null when the layer has no bias. */
    public QuantizedConstant quantizedBias() {
        if (biasQuantizer == null) {
            return null;
        }
        try (NDManager temp = NDManager.newBaseManager(weight.getArray().getDevice());
                NoGradScope ignored = NoGradScope.open()) {
            try (ParameterScope scope = ParameterScope.open(temp)) {
                NDArray[] wb = effectiveWeightsForEval(scope);
                NDArray bq = biasQuantizer.quantize(null, wb[1], false);
                return biasQuantizer.toConstant(bq);
            }
        }
    }

    /** The exact formats of the input quantizer (calibrate first for data-derived integer bits). */
    public QuantizerFormats inputFormats() {
        return inputQuantizer.formats();
    }

    @Override
    public long exactEbops() {
        QuantizerFormats in = inputFormats();
        QuantizedConstant k = quantizedKernel();
        long[] shape = k.shape();
        boolean perChannelInput = in.bitShape().length > 1 && in.bitShape()[1] > 1;
        long channelStride = 1;
        for (int a = 2; a < shape.length; a++) {
            channelStride *= shape[a];
        }
        long total = 0;
        for (int j = 0; j < k.size(); j++) {
            int c = (int) ((j / channelStride) % shape[1]);
            int inBits = Math.max(0, in.format(perChannelInput ? c : 0).width());
            total = Math.addExact(total, Math.multiplyExact((long) inBits, k.significantBits(j)));
        }
        return total;
    }

    @Override
    public long multiplications() {
        return weight.getArray().getShape().size();
    }

    /** The three quantizers (bias quantizer absent when the layer has no bias). */
    public java.util.List<HgqQuantizer> quantizers() {
        return biasQuantizer == null
                ? java.util.List.of(inputQuantizer, kernelQuantizer)
                : java.util.List.of(inputQuantizer, kernelQuantizer, biasQuantizer);
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
        return fusedBatchNorm;
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
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
        }
        this.beta = beta;
    }

    @Override
    public double getBeta() {
        return beta;
    }

    // ---- persistence ----------------------------------------------------------------------------

    /** Writes the subclass's structural settings. */
    protected abstract void saveLayerSettings(DataOutputStream os) throws IOException;

    /** Reads and checks the subclass's structural settings. */
    protected abstract void loadLayerSettings(DataInputStream is) throws IOException, MalformedModelException;

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        super.saveMetadata(os);
        os.writeBoolean(useBias);
        os.writeBoolean(fusedBatchNorm);
        os.writeUTF(activation.name());
        os.writeFloat(bnMomentum);
        os.writeFloat(bnEpsilon);
        os.writeDouble(beta);
        saveLayerSettings(os);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(getClass().getSimpleName() + ": unknown parameter version "
                    + loadVersion + " (this library reads " + VERSION + ")");
        }
        readInputShapes(is);
        boolean savedBias = is.readBoolean();
        boolean savedBn = is.readBoolean();
        checkSame("bias", savedBias, useBias);
        checkSame("fusedBatchNorm", savedBn, fusedBatchNorm);
        String act = is.readUTF();
        try {
            activation = HActivationType.valueOf(act);
        } catch (IllegalArgumentException e) {
            throw new MalformedModelException(getClass().getSimpleName() + ": unknown activation '" + act + "'", e);
        }
        bnMomentum = is.readFloat();
        bnEpsilon = is.readFloat();
        setBeta(is.readDouble());
        loadLayerSettings(is);
    }

    /** Fails with a message naming the setting when a structural setting differs from the file. */
    protected final void checkSame(String name, Object saved, Object built) throws MalformedModelException {
        if (!saved.equals(built)) {
            throw new MalformedModelException(String.format(
                    "%s: the model file has %s = %s but the block was built with %s = %s",
                    getClass().getSimpleName(), name, saved, name, built));
        }
    }
}
