package org.qat4j.core.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.qat4j.runtime.model.PoolOp;
import org.qat4j.runtime.model.Shapes;

/**
 * Max or average pooling over 1-D or 2-D windows that keeps quantized values exact, shared by HGQ
 * (arXiv 2405.00645 §6) and A2Q/A2Q+ (arXiv 2308.13504, 2401.10432) networks.
 *
 * <p>Max: {@code y = max_{j ∈ window} x_j}. The maximum of grid values is a grid value, and because every
 * quantizer is monotone non-decreasing, {@code max(Q(x)) = Q(max(x))}: the integer runtime pools the
 * integers. Average: {@code y = (Σ_{j ∈ window} x_j) · 2^-n} for a window of 2^n elements; on fixed-point
 * values the sum is exact and the shift adds n fractional bits. Other window sizes would need a
 * non-power-of-two scale and are refused. Average windows always divide by the full window size (padding
 * counts as zeros), so the divisor never changes at the borders.
 */
public final class QatPool extends AbstractBlock {

    private static final byte VERSION = 1;

    /**
     * Which pooling.
     *
     * @deprecated the model format's {@link PoolOp.Kind} is the one pooling vocabulary; use {@link #getPoolKind()}
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public enum Kind {
        MAX,
        AVG
    }

    private final PoolOp.Kind kind;
    private final Shape window;
    private final Shape stride;
    private final Shape padding;

    private QatPool(PoolOp.Kind kind, Shape window, Shape stride, Shape padding) {
        super(VERSION);
        this.kind = kind;
        this.window = window;
        this.stride = stride == null ? window : stride;
        this.padding = padding == null ? new Shape(new long[window.dimension()]) : padding;
        int rank = window.dimension();
        if (rank != 1 && rank != 2) {
            throw new IllegalArgumentException("QatPool: window must have 1 or 2 dimensions, got " + window);
        }
        check("window", window, rank, 1);
        check("stride", this.stride, rank, 1);
        check("padding", this.padding, rank, 0);
        if (kind == PoolOp.Kind.AVG) {
            long size = window.size();
            if (Long.bitCount(size) != 1) {
                throw new IllegalArgumentException("QatPool: average pooling needs a window of 2^n elements to stay"
                        + " exact in fixed point, got window " + window + " (" + size + " elements); use max pooling"
                        + " or a power-of-two window");
            }
        }
    }

    private static void check(String name, Shape s, int rank, long min) {
        if (s.dimension() != rank) {
            throw new IllegalArgumentException("QatPool: " + name + " must have " + rank + " dimension(s), got " + s);
        }
        for (long d : s.getShape()) {
            if (d < min) {
                throw new IllegalArgumentException("QatPool: " + name + " entries must be >= " + min + ", got " + s);
            }
        }
    }

    /** Max pooling; stride defaults to the window. */
    public static QatPool max(Shape window, Shape stride, Shape padding) {
        return new QatPool(PoolOp.Kind.MAX, window, stride, padding);
    }

    /** Max pooling with stride = window and no padding. */
    public static QatPool max(Shape window) {
        return max(window, null, null);
    }

    /** Average pooling over a power-of-two window; stride defaults to the window. */
    public static QatPool avg(Shape window, Shape stride, Shape padding) {
        return new QatPool(PoolOp.Kind.AVG, window, stride, padding);
    }

    /** Average pooling with stride = window and no padding. */
    public static QatPool avg(Shape window) {
        return avg(window, null, null);
    }

    /** {@link PoolOp.Kind#MAX} or {@link PoolOp.Kind#AVG}: the integer model's pooling op of the same name. */
    public PoolOp.Kind getPoolKind() {
        return kind;
    }

    /** @deprecated use {@link #getPoolKind()} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public Kind getKind() {
        return Kind.valueOf(kind.name());
    }

    public Shape getWindow() {
        return window;
    }

    public Shape getStride() {
        return stride;
    }

    public Shape getPadding() {
        return padding;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().dimension() != window.dimension() + 2) {
            throw new IllegalArgumentException("QatPool with a " + window.dimension()
                    + "-D window expects input of rank " + (window.dimension() + 2) + ", got " + x.getShape());
        }
        NDArray y;
        if (window.dimension() == 1) {
            y = kind == PoolOp.Kind.MAX
                    ? Pool.maxPool1d(x, window, stride, padding, false)
                    : Pool.avgPool1d(x, window, stride, padding, false, true);
        } else {
            y = kind == PoolOp.Kind.MAX
                    ? Pool.maxPool2d(x, window, stride, padding, false)
                    : Pool.avgPool2d(x, window, stride, padding, false, true);
        }
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long[] s = in.getShape().clone();
        for (int a = 0; a < window.dimension(); a++) {
            s[2 + a] = Shapes.windowOutputLength(in.get(2 + a), window.get(a), stride.get(a), padding.get(a), 1);
        }
        return new Shape[] {new Shape(s)};
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        super.saveMetadata(os);
        os.writeUTF(kind.name());
        os.write(window.getEncoded());
        os.write(stride.getEncoded());
        os.write(padding.getEncoded());
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("QatPool: unknown parameter version " + loadVersion);
        }
        readInputShapes(is);
        String k = is.readUTF();
        Shape w = Shape.decode(is);
        Shape s = Shape.decode(is);
        Shape p = Shape.decode(is);
        if (!k.equals(kind.name()) || !w.equals(window) || !s.equals(stride) || !p.equals(padding)) {
            throw new MalformedModelException(String.format(
                    "QatPool: the model file has %s window %s stride %s padding %s but the block was built with"
                            + " %s window %s stride %s padding %s",
                    k, w, s, p, kind, window, stride, padding));
        }
    }
}
