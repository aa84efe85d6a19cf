package org.qat4j.core.fixed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * Fixed-point quantization of DJL NDArrays with per-element formats (HGQ, arXiv 2405.00645, Sections
 * 3-4): {@code xq = O(R(x * 2^f)) * 2^-f} with sign bit {@code k}, integer bits {@code i} and
 * fractional bits {@code f} given as float arrays broadcastable to {@code x}.
 *
 * <p>{@link #quantize} is the exact forward: every element equals, bit for bit,
 * {@code (dtype) FixedPoint.toDouble(FixedPoint.quantize((double) x, (k, i, f), R, O))}, for float32 and
 * float64 inputs. {@link #fakeQuantize} is the training forward with HGQ's gradients:
 * <ul>
 *   <li>{@code dxq/dx = 1}, and 0 where saturation clips;</li>
 *   <li>{@code dxq/df = -ln2 * (xq - x)} (the surrogate gradient of HGQ Section 4.1), evaluated in
 *       float64 from the float values and rounded once to x's type;</li>
 *   <li>clipped above ({@code x > max = 2^i - 2^-f}): {@code dxq/di = ln2 * 2^i},
 *       {@code dxq/df = ln2 * 2^-f}; clipped below ({@code x < min}): SAT {@code dxq/di = -k ln2 2^i},
 *       SAT_SYM additionally {@code dxq/df = -k ln2 2^-f};</li>
 *   <li>the bits are rounded half up in the forward with identity gradient.</li>
 * </ul>
 * As in HGQ2, {@code i} is clamped to {@code i_eff = max(i, -f)} in the clip bounds (identity gradient to
 * {@code i}); zero-width elements ({@code k + i + f <= 0}) output exactly 0 in both methods.
 *
 * <p>Results belong to x's manager (at call time); every temporary lives in a sub-manager closed before
 * returning, so bit arrays held by a long-lived model manager receive nothing. When x is itself a
 * parameter array, temp-attach it to a per-batch manager first or the result lives as long as the model.
 *
 * <p>Supported bits: {@code k} in {0, 1}, {@code |i|, |f| <= 64} and {@code k + i + f <= 53} after
 * rounding; other values are rejected with an {@link IllegalArgumentException} naming the parameter,
 * value and index. The bit arrays are read to the host on every call (they are small: per channel or per
 * weight), validated there, and everything that depends on the bits alone is computed in exact Java
 * arithmetic; {@link #quantize} also checks x for NaN. The exception is {@link #fakeQuantizeUnbounded},
 * HGQ's training forward without overflow handling, which stays on the engine in x's type and trusts its
 * caller's bits.
 */
public final class FixedPointOps {

    private static final double LN2 = Math.log(2.0);

    private FixedPointOps() {}

    /**
     * Quantizes exactly: {@code O(R(x * 2^f)) * 2^-f} per element, zero-width elements give +0.0. No
     * gradient flows through the result.
     *
     * @param x the input, float32 or float64
     * @param k sign bits, broadcastable to x (rounded half up)
     * @param i integer bits, broadcastable to x (rounded half up)
     * @param f fractional bits, broadcastable to x (rounded half up)
     * @param rounding the rounding rule
     * @param overflow the overflow rule
     * @return the quantized values, x's shape and type, attached to x's manager
     * @throws IllegalArgumentException for unsupported bits, bad shapes or types, NaN in x, or an infinite
     *     x under WRAP
     */
    public static NDArray quantize(
            NDArray x, NDArray k, NDArray i, NDArray f, RoundingMode rounding, OverflowMode overflow) {
        return exactly(x, k, i, f, rounding, overflow, (q, bits) -> q.value().toType(x.getDataType(), false));
    }

    /**
     * Quantizes exactly and returns the integer mantissas {@code m = O(R(x * 2^f))} (0 for zero-width
     * elements) as int64, the values {@link #quantize} returns being {@code m * 2^-f}: what an integer
     * export stores.
     *
     * @param x the input, float32 or float64
     * @param k sign bits, broadcastable to x (rounded half up)
     * @param i integer bits, broadcastable to x (rounded half up)
     * @param f fractional bits, broadcastable to x (rounded half up)
     * @param rounding the rounding rule
     * @param overflow the overflow rule
     * @return the mantissas, x's shape, int64, attached to x's manager
     * @throws IllegalArgumentException as {@link #quantize}
     */
    public static NDArray quantizeToMantissas(
            NDArray x, NDArray k, NDArray i, NDArray f, RoundingMode rounding, OverflowMode overflow) {
        // value * 2^f is the mantissa exactly: an integer below 2^53 scaled by a power of two
        return exactly(
                x,
                k,
                i,
                f,
                rounding,
                overflow,
                (q, bits) -> q.value().mul(bits.scale()).toType(DataType.INT64, false));
    }

    /**
     * Runs the exact kernel in a scope and attaches {@code result(q, bits)} to x's manager: the shared
     * body of {@link #quantize} and {@link #quantizeToMantissas}, which differ only in what they return.
     */
    private static NDArray exactly(
            NDArray x,
            NDArray k,
            NDArray i,
            NDArray f,
            RoundingMode rounding,
            OverflowMode overflow,
            BiFunction<ExactQuantizationKernel.Result, BitFormats, NDArray> result) {
        requireNonNull(rounding, "rounding");
        requireNonNull(overflow, "overflow");
        checkArguments(x, k, i, f);
        NDManager owner = x.getManager();
        try (NDManager scope = owner.newSubManager()) {
            attachDistinct(scope, x, k, i, f);
            BitFormats bits = BitFormats.read(scope, k, i, f);
            NDArray x64 = exactInput(x, overflow);
            ExactQuantizationKernel.Result q = ExactQuantizationKernel.quantize(
                    x64, bits, rounding, overflow, null, x.getDataType() == DataType.FLOAT64, false);
            NDArray out = result.apply(q, bits);
            out.attach(owner);
            return out;
        }
    }

    /**
     * Training forward with straight-through and HGQ surrogate gradients (see the class comment). With
     * stochastic rounding off, every value equals {@link #quantize}'s, except under
     * {@link OverflowMode#WRAP}: during training WRAP does not wrap (HGQ2 tracks the integer bits from
     * the data instead), so an element outside the range keeps its rounded value; {@code i} gets no
     * gradient under WRAP. NaN in x propagates to the output (a diverged step is the training loop's to
     * report).
     *
     * @param x the input, float32 or float64
     * @param k sign bits, broadcastable to x
     * @param i integer bits, broadcastable to x
     * @param f fractional bits, broadcastable to x
     * @param options rounding, overflow, stochastic rounding, trainable integer bits
     * @return the quantized values with gradients to x, i and f, attached to x's manager
     * @throws IllegalArgumentException for unsupported bits, bad shapes or types
     */
    public static NDArray fakeQuantize(NDArray x, NDArray k, NDArray i, NDArray f, FakeQuantizeOptions options) {
        requireNonNull(options, "options");
        checkArguments(x, k, i, f);
        NDManager owner = x.getManager();
        DataType type = x.getDataType();
        OverflowMode overflow = options.overflow();
        boolean saturating = overflow != OverflowMode.WRAP;
        try (NDManager scope = owner.newSubManager()) {
            attachDistinct(scope, x, k, i, f);
            BitFormats bits = BitFormats.read(scope, k, i, f);
            NDArray x64 = x.stopGradient().toType(DataType.FLOAT64, false);
            NDArray uniform = options.stochastic() ? scope.randomUniform(0f, 1f, x.getShape(), DataType.FLOAT64) : null;
            ExactQuantizationKernel.Result q = ExactQuantizationKernel.quantize(
                    x64,
                    bits,
                    options.rounding(),
                    saturating ? overflow : null,
                    uniform,
                    type == DataType.FLOAT64,
                    true);
            NDArray value = q.value().toType(type, false);

            SurrogateCoefficients c =
                    SurrogateCoefficients.of(x64, value, bits, q, overflow, options.trainableIntegerBits(), LN2);
            NDArray through = c.inside() == null
                    ? x
                    : NDArrays.where(c.inside(), x, x.zerosLike().stopGradient());
            NDArray surrogate = through.add(c.forF().toType(type, false).mul(f.toType(type, false)));
            if (c.forI() != null) {
                surrogate = surrogate.add(c.forI().toType(type, false).mul(i.toType(type, false)));
            }
            // value + (s - s): exactly the quantized value forward, exactly s's gradient backward
            NDArray out = value.stopGradient().add(surrogate.sub(surrogate.stopGradient()));
            out.attach(owner);
            return out;
        }
    }

    /**
     * Quantizes exactly without overflow handling: {@code R(x * 2^f) * 2^-f} per element, as
     * {@link #quantize} with a format wide enough that nothing saturates, wraps or is pruned (HGQ's
     * calibration pass, which records the range the integer bits are then derived from). Zeros are +0.0.
     *
     * @param x the input, float32 or float64
     * @param f fractional bits, broadcastable to x (rounded half up, integers in [-64, 64])
     * @param rounding the rounding rule
     * @return the quantized values, x's shape and type, attached to x's manager
     * @throws IllegalArgumentException for unsupported bits, bad shapes or types, or NaN in x
     */
    public static NDArray quantizeUnbounded(NDArray x, NDArray f, RoundingMode rounding) {
        requireNonNull(rounding, "rounding");
        requireNonNull(x, "x");
        requireNonNull(f, "f");
        checkType(x);
        checkBroadcast("f", f.getShape(), x.getShape());
        NDManager owner = x.getManager();
        try (NDManager scope = owner.newSubManager()) {
            attachDistinct(scope, x, f);
            BitFormats bits = BitFormats.readUnbounded(scope, f);
            NDArray x64 = exactInput(x, OverflowMode.SAT);
            ExactQuantizationKernel.Result q = ExactQuantizationKernel.quantize(
                    x64, bits, rounding, null, null, x.getDataType() == DataType.FLOAT64, false);
            NDArray out = q.value().toType(x.getDataType(), false);
            out.attach(owner);
            return out;
        }
    }

    /**
     * Training forward without overflow handling, computed on the engine in x's type (no host transfer, no
     * float64 for float32 x, no validation pass): HGQ's quantizer with integer bits taken from the data
     * (arXiv 2405.00645, Section 4). The bits are rounded half to even, as HGQ rounds its trained bits
     * ({@code Math.rint}), and must round to integers in [-64, 64] (not checked: a host check would cost a
     * transfer per call). The value equals {@link #quantizeUnbounded}'s with {@code round(f)} bit for bit
     * (zeros as +0.0) for finite x with {@code |x| * 2^f < 2^128} (float32). Gradients: {@code dxq/dx = 1}
     * and, when f requires a gradient, {@code dxq/df = -ln2 * s * (xq - x)} with {@code xq - x} and the
     * product each rounded once to x's type, summed over the axes the bits are shared on. NaN in x
     * propagates. Stochastic rounding is not offered here (use {@link #fakeQuantize}).
     *
     * @param x the input, float32 or float64
     * @param f fractional bits, broadcastable to x; receives the gradient when it requires one
     * @param rounding the rounding rule
     * @param gradientScale s, a factor on the f gradient (HGQ v1 uses {@code 1/sqrt(n)} for bits shared by
     *     n values)
     * @param keepMantissas whether to return the mantissas {@code R(x * 2^round(f))} too
     * @return the values (and mantissas), attached to x's manager
     * @throws IllegalArgumentException for bad shapes or types, or a non-finite gradientScale
     */
    public static TrainingQuantization fakeQuantizeUnbounded(
            NDArray x, NDArray f, RoundingMode rounding, double gradientScale, boolean keepMantissas) {
        requireNonNull(rounding, "rounding");
        requireNonNull(x, "x");
        requireNonNull(f, "f");
        checkType(x);
        checkBroadcast("f", f.getShape(), x.getShape());
        if (!Double.isFinite(gradientScale)) {
            throw new IllegalArgumentException("FixedPointOps: gradientScale must be finite, got " + gradientScale);
        }
        return UnboundedTrainingKernel.fakeQuantize(x, f, rounding, gradientScale, keepMantissas);
    }

    /** x as float64, detached; NaN (and under WRAP infinities) rejected. */
    private static NDArray exactInput(NDArray x, OverflowMode overflow) {
        NDArray x64 = x.stopGradient().toType(DataType.FLOAT64, false);
        NDArray notFinite = overflow == OverflowMode.WRAP ? x64.isNaN().logicalOr(x64.isInfinite()) : x64.isNaN();
        if (notFinite.any().getBoolean()) {
            throwNotFinite(x64, notFinite, overflow);
        }
        return x64;
    }

    private static void throwNotFinite(NDArray x64, NDArray notFinite, OverflowMode overflow) {
        boolean[] flags = notFinite.toBooleanArray();
        double[] values = x64.toDoubleArray();
        for (int n = 0; n < flags.length; n++) {
            if (flags[n]) {
                throw new IllegalArgumentException("FixedPointOps.quantize: x must be "
                        + (overflow == OverflowMode.WRAP ? "finite under WRAP" : "a number")
                        + ", got " + values[n] + " at flat index " + n + " of shape " + x64.getShape());
            }
        }
        throw new IllegalStateException("no invalid element found");
    }

    private static void checkArguments(NDArray x, NDArray k, NDArray i, NDArray f) {
        requireNonNull(x, "x");
        requireNonNull(k, "k");
        requireNonNull(i, "i");
        requireNonNull(f, "f");
        checkType(x);
        checkBroadcast("k", k.getShape(), x.getShape());
        checkBroadcast("i", i.getShape(), x.getShape());
        checkBroadcast("f", f.getShape(), x.getShape());
    }

    private static void checkType(NDArray x) {
        DataType type = x.getDataType();
        if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
            throw new IllegalArgumentException("FixedPointOps: x must be float32 or float64, got " + type);
        }
    }

    /** NumPy broadcasting that keeps x's shape: align from the right, each bit dimension 1 or x's. */
    private static void checkBroadcast(String name, Shape bits, Shape x) {
        boolean ok = bits.dimension() <= x.dimension();
        for (int d = 1; ok && d <= bits.dimension(); d++) {
            long b = bits.get(bits.dimension() - d);
            ok = b == 1 || b == x.get(x.dimension() - d);
        }
        if (!ok) {
            throw new IllegalArgumentException(
                    "FixedPointOps: " + name + " of shape " + bits + " does not broadcast to x of shape " + x);
        }
    }

    private static void attachDistinct(NDManager scope, NDArray... arrays) {
        Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<NDArray> distinct = new ArrayList<>();
        for (NDArray a : arrays) {
            if (seen.add(a)) {
                distinct.add(a);
            }
        }
        scope.tempAttachAll(distinct.toArray(new NDArray[0]));
    }

    private static void requireNonNull(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("FixedPointOps: " + name + " must not be null");
        }
    }
}
