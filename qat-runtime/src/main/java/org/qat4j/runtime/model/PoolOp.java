package org.qat4j.runtime.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code maxpool}/{@code avgpool} over 1-D or 2-D windows without padding, per channel.
 * Max: the largest integer of the window (exact on a per-channel grid). Average with a window of
 * {@code n = 2^s} elements: the integer result is the window SUM, and the value's fraction grows by
 * {@code s} bits ({@code mean = sum · 2^-s} is exact, no rounding, so the float graph's mean and the
 * integer sum agree bit for bit; HGQ arXiv 2405.00645 §10 lists non-power-of-two averages as
 * inexact, so they are refused). The sum is accumulated in a signed register of
 * {@code accumulatorBits} bits (ignored for max).
 *
 * <p>{@code avgpool_float} ({@link Kind#FLOAT_AVG}) averages a FLOAT tensor the way the PyTorch CPU
 * kernel does: a float32 sum of the window, row by row, starting from {@code +0.0f}, then one float32
 * division by the window's element count (any window size: both steps are IEEE operations the runtime
 * repeats exactly). A2Q exports use it where the trained graph averages the float products
 * {@code q · s} of an arbitrary scale s, which no integer op reproduces bit for bit.
 *
 * @param name output tensor
 * @param input integer input {@code [C, L]} or {@code [C, H, W]}
 * @param kind max or average
 * @param window window per spatial axis
 * @param stride stride per axis
 * @param accumulatorBits declared width of the sum (average only)
 */
public record PoolOp(String name, String input, Kind kind, int[] window, int[] stride, int accumulatorBits)
        implements ModelOp {

    /** Pooling kind. */
    public enum Kind {
        /** Window maximum. */
        MAX,
        /** Window sum of a power-of-two window (average with the fraction grown by log2 of the window). */
        AVG,
        /** Float32 window mean of a FLOAT tensor: sum in window order from +0.0f, then divide by the element count. */
        FLOAT_AVG
    }

    /** Validates the window. */
    public PoolOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(kind, "kind");
        if (window.length != 1 && window.length != 2) {
            throw new ModelFormatException(name + ".window: rank " + window.length + ", expected 1 or 2");
        }
        window = LayerChecks.positive(window, window.length, name + ".window");
        stride = LayerChecks.positive(stride, window.length, name + ".stride");
        if (kind == Kind.AVG) {
            long n = 1;
            for (int w : window) {
                n *= w;
            }
            if (Long.bitCount(n) != 1) {
                throw new ModelFormatException(
                        name + ".window = " + java.util.Arrays.toString(window) + ": average pooling needs a"
                                + " power-of-two window size for an exact result, got " + n + " elements");
            }
            LayerChecks.checkAccumulatorBits(name, accumulatorBits);
        }
    }

    /** Elements per window. */
    public int windowSize() {
        int n = 1;
        for (int w : window) {
            n *= w;
        }
        return n;
    }

    @Override
    public int[] window() {
        return window.clone();
    }

    @Override
    public int[] stride() {
        return stride.clone();
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public String opType() {
        return switch (kind) {
            case MAX -> "maxpool";
            case AVG -> "avgpool";
            case FLOAT_AVG -> "avgpool_float";
        };
    }

    @Override
    public TensorInfo infer(List<TensorInfo> in, String field) {
        TensorInfo x = in.get(0);
        TensorKind kindIn = kind == Kind.FLOAT_AVG ? TensorKind.FLOAT : TensorKind.INT;
        ModelOp.requireKind(x, kindIn, field, input);
        int[] s = x.shape();
        if (s.length != window.length + 1) {
            throw new ModelFormatException(field + ": input '" + input + "' has shape " + Shapes.toString(s)
                    + ", expected rank " + (window.length + 1));
        }
        int[] out = s.clone();
        for (int a = 0; a < window.length; a++) {
            out[a + 1] = Shapes.windowOutput(s[a + 1], window[a], stride[a], 0, 1, field + ".axis" + a);
        }
        return new TensorInfo(out, kindIn);
    }
}
