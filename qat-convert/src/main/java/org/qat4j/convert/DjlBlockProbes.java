package org.qat4j.convert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.qat4j.core.nn.QatPool;
import org.qat4j.runtime.model.Shapes;

/**
 * Recognises DJL's parameter-free {@link LambdaBlock}s, whose function is an opaque lambda. A block is
 * accepted only when two independent signs agree: the name DJL's factory gives it ({@code "ReLU"} from
 * {@code Activation.reluBlock()}, {@code "batchFlatten"} from {@code Blocks.batchFlattenBlock()},
 * {@code "maxPool1d"}/{@code "maxPool2d"}/{@code "avgPool1d"}/{@code "avgPool2d"} from {@code Pool.*Block},
 * {@code "identity"} from {@code Blocks.identityBlock()})
 * and its behaviour on probe inputs (ReLU: {@code max(x, 0)} on negative, zero and positive values;
 * flatten: a C-order reshape to (batch, −1); pooling: the window, stride and padding are searched among
 * k ≤ 8, s ≤ 8, p ≤ k/2 on a random probe, and the twin {@link QatPool} must then give the same float bits
 * as the block on a second random probe of another size). A name without the behaviour, or behaviour
 * without the name, is refused: the converter never guesses.
 */
final class DjlBlockProbes {

    static final int MAX_WINDOW = 8;
    private static final int PROBE = 23;

    private DjlBlockProbes() {}

    static boolean isRelu(LambdaBlock block, String path) {
        if (!"ReLU".equals(block.getName())) {
            return false;
        }
        float[] x = {-3f, -1f, -1e-30f, -0f, 0f, 1e-30f, 0.5f, 2f, -7.25f, 1e30f, -1e30f, 3.5f};
        try (NDManager m = NDManager.newBaseManager()) {
            float[] y = run(block, m.create(x, new Shape(3, 4))).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                if (y[i] != Math.max(x[i], 0f)) {
                    throw new UnsupportedBlockException(
                            path, "LambdaBlock named 'ReLU' does not compute max(x, 0): " + x[i] + " -> " + y[i]);
                }
            }
        }
        return true;
    }

    /** {@code Blocks.identityBlock()}: named "identity" and returning its probe input bit for bit. */
    static boolean isIdentity(LambdaBlock block, String path) {
        if (!"identity".equals(block.getName())) {
            return false;
        }
        float[] x = {-3f, -0f, 0f, 1e-30f, 0.5f, Float.MIN_VALUE, -7.25f, 1e30f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray y = run(block, m.create(x, new Shape(2, 4)));
            float[] v = y.toFloatArray();
            boolean same = y.getShape().equals(new Shape(2, 4));
            for (int i = 0; same && i < x.length; i++) {
                same = Float.floatToRawIntBits(v[i]) == Float.floatToRawIntBits(x[i]);
            }
            if (!same) {
                throw new UnsupportedBlockException(
                        path, "LambdaBlock named 'identity' does not return its input unchanged");
            }
        }
        return true;
    }

    static boolean isBatchFlatten(LambdaBlock block, String path) {
        if (!"batchFlatten".equals(block.getName())) {
            return false;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(48f).reshape(2, 3, 2, 4);
            NDArray y = run(block, x);
            if (!y.getShape().equals(new Shape(2, 24)) || !y.reshape(48).contentEquals(m.arange(48f))) {
                throw new UnsupportedBlockException(
                        path,
                        "LambdaBlock named 'batchFlatten' does not reshape (2, 3, 2, 4)"
                                + " to (2, 24) in C order (got " + y.getShape() + ")");
            }
        }
        return true;
    }

    /**
     * The {@link QatPool} that reproduces a DJL pooling block bit for bit (its geometry read back with
     * probes), or null when the block is not named as a DJL pooling block.
     */
    static QatPool pool(LambdaBlock block, String path) {
        String name = block.getName();
        boolean max;
        int rank;
        switch (name) {
            case "maxPool1d" -> {
                max = true;
                rank = 1;
            }
            case "maxPool2d" -> {
                max = true;
                rank = 2;
            }
            case "avgPool1d" -> {
                max = false;
                rank = 1;
            }
            case "avgPool2d" -> {
                max = false;
                rank = 2;
            }
            default -> {
                return null;
            }
        }
        Random rnd = new Random(0x5eed);
        long[] probeShape = rank == 1 ? new long[] {1, 1, PROBE} : new long[] {1, 1, PROBE, PROBE};
        float[] x = new float[(int) new Shape(probeShape).size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        float[] y;
        Shape outShape;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = run(block, m.create(x, new Shape(probeShape)));
            outShape = out.getShape();
            y = out.toType(DataType.FLOAT32, false).toFloatArray();
        } catch (RuntimeException e) {
            throw new UnsupportedBlockException(
                    path,
                    "LambdaBlock named '" + name + "' fails on a probe of shape " + new Shape(probeShape) + ": "
                            + e.getMessage());
        }
        if (outShape.dimension() != rank + 2) {
            throw new UnsupportedBlockException(
                    path,
                    "LambdaBlock named '" + name + "' returns shape " + outShape + " for input " + new Shape(probeShape)
                            + "; not a " + rank + "-D pooling");
        }
        List<int[]> found = new ArrayList<>();
        List<int[]> perAxis0 = candidates(outShape.get(2));
        List<int[]> perAxis1 = rank == 2 ? candidates(outShape.get(3)) : List.of(new int[] {1, 1, 0});
        for (int[] a : perAxis0) {
            for (int[] b : perAxis1) {
                if (matches(x, y, rank, a, b, max)) {
                    found.add(new int[] {a[0], a[1], a[2], b[0], b[1], b[2]});
                }
            }
        }
        if (found.size() != 1) {
            throw new UnsupportedBlockException(
                    path,
                    "cannot read the geometry of LambdaBlock '" + name + "': "
                            + found.size() + " candidate windows (k <= " + MAX_WINDOW + ", stride <= " + MAX_WINDOW
                            + ", padding <= k/2, ceil mode off, average counting padding) reproduce it");
        }
        int[] g = found.get(0);
        return rank == 1
                ? verify(block, max, new Shape(g[0]), new Shape(g[1]), new Shape(g[2]), rank, path)
                : verify(block, max, new Shape(g[0], g[3]), new Shape(g[1], g[4]), new Shape(g[2], g[5]), rank, path);
    }

    /** (k, s, p) with {@code floor((L + 2p − k)/s) + 1 = out}. */
    private static List<int[]> candidates(long out) {
        List<int[]> c = new ArrayList<>();
        for (int k = 1; k <= MAX_WINDOW; k++) {
            for (int s = 1; s <= MAX_WINDOW; s++) {
                for (int p = 0; p <= k / 2; p++) {
                    if (Shapes.windowOutputLength(PROBE, k, s, p, 1) == out) {
                        c.add(new int[] {k, s, p});
                    }
                }
            }
        }
        return c;
    }

    private static boolean matches(float[] x, float[] y, int rank, int[] a, int[] b, boolean max) {
        int n0 = (int) Shapes.windowOutputLength(PROBE, a[0], a[1], a[2], 1);
        int n1 = rank == 2 ? (int) Shapes.windowOutputLength(PROBE, b[0], b[1], b[2], 1) : 1;
        int width = rank == 2 ? PROBE : 1;
        for (int o0 = 0; o0 < n0; o0++) {
            for (int o1 = 0; o1 < n1; o1++) {
                double acc = max ? Double.NEGATIVE_INFINITY : 0;
                for (int i = o0 * a[1] - a[2]; i < o0 * a[1] - a[2] + a[0]; i++) {
                    for (int j = o1 * b[1] - b[2]; j < o1 * b[1] - b[2] + b[0]; j++) {
                        if (i < 0 || i >= PROBE || j < 0 || j >= (rank == 2 ? PROBE : 1)) {
                            continue;
                        }
                        double v = x[i * width + j];
                        acc = max ? Math.max(acc, v) : acc + v;
                    }
                }
                double expected = max ? acc : acc / (a[0] * b[0]);
                double got = y[o0 * n1 + o1];
                if (max ? got != expected : Math.abs(got - expected) > 1e-5 * Math.abs(expected) + 1e-6) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The twin QatPool, which must reproduce the block's float bits on a fresh probe of another size. */
    private static QatPool verify(
            LambdaBlock block, boolean max, Shape window, Shape stride, Shape padding, int rank, String path) {
        String g = (max ? "max" : "avg") + " pool window " + window + " stride " + stride + " padding " + padding;
        QatPool pool;
        try {
            pool = max ? QatPool.max(window, stride, padding) : QatPool.avg(window, stride, padding);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedBlockException(path, g + " has no exact fixed-point twin: " + e.getMessage());
        }
        long[] shape = rank == 1 ? new long[] {2, 3, 17} : new long[] {2, 3, 17, 14};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(shape));
            NDArray expected = run(block, x);
            NDArray got = pool.forward(new ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow();
            if (!got.getShape().equals(expected.getShape()) || !got.contentEquals(expected)) {
                throw new UnsupportedBlockException(
                        path,
                        "read " + g + " from LambdaBlock '" + block.getName()
                                + "' but a QatPool with that geometry does not reproduce it bit for bit (ceil mode or"
                                + " count-include-pad differ?)");
            }
        }
        return pool;
    }

    private static NDArray run(Block block, NDArray x) {
        return block.forward(new ParameterStore(x.getManager(), false), new NDList(x), false)
                .singletonOrThrow();
    }
}
