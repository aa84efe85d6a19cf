package org.qat4j.a2q.export;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.runtime.model.A2qConstraint.Variant;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.nn.ConvGeometry;
import org.qat4j.a2q.nn.QConv1d;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QuantizedActivation;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.a2q.quant.QuantizedWeights;
import org.qat4j.core.nn.QatFlatten;
import org.qat4j.core.nn.QatPool;
import org.qat4j.runtime.model.A2qConstraint;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeScaledOp;
import org.qat4j.runtime.model.FlattenOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.LibraryVersion;
import org.qat4j.runtime.model.PoolOp;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeScaledOp;

/**
 * Exports a trained {@link SequentialBlock} of A2Q blocks ({@code QIdentity}, {@code QReLU},
 * {@code QLinear}, {@code QConv1d}, {@code QConv2d}, max and average {@code QatPool} without padding, {@code QatFlatten}
 * and DJL's {@code Blocks.batchFlattenBlock()}) to an {@link IntegerModel}:
 * <ul>
 *   <li>an activation quantizer becomes {@code quantize_scaled}: {@code clamp(rint(x / s_x))} in float32
 *       (a QReLU's ReLU needs no op: clamping at 0 gives the same integer);</li>
 *   <li>a layer becomes {@code dense}/{@code conv} with the layer's integer weights q (A2Q arXiv
 *       2308.13504 §3: exported as trained, never re-rounded) and its P and A2Q/A2Q+ constraint, then
 *       {@code dequantize_scaled}: {@code acc · (s_x · s_c) + b} in float32, the order of the block's forward;</li>
 *   <li>max pooling becomes {@code maxpool} on the integers: the quantizer {@code Q(x) = clamp(rint(x / s))}
 *       is monotone non-decreasing, so {@code max_j Q(x_j) = Q(max_j x_j)} and {@code max_j (q_j · s) = (max_j q_j) · s};
 *       a max pool on float values directly before a quantizer is exported after it for the same reason;
 *       flatten becomes {@code flatten} (row-major).</li>
 * </ul>
 * Average pooling becomes {@code avgpool_float}: the block averages the float32 values {@code q · s}
 * (rounded products, a float32 sum, one division), which no integer op repeats bit for bit for an
 * arbitrary scale s, so the export dequantizes {@code q · s} exactly as the quantizer block does and
 * repeats PyTorch's float32 average (sum in window order, then divide); the next quantizing block
 * quantizes the mean as in training.
 * Unconstrained layers get the minimal accumulator width derived from their input range. Blocks of
 * other kinds are refused with a message naming the block and its position.
 */
public final class A2qExporter {
    private A2qExporter() {}

    /**
     * Exports {@code net}.
     *
     * @param net trained network (evaluation-mode semantics)
     * @param inputShape per-sample input shape (no batch axis), e.g. {@code [20]} or {@code [3, 32, 32]}
     * @param recipe free text naming the training recipe
     * @param seed training seed
     * @param settings further provenance settings
     */
    public static IntegerModel export(SequentialBlock net, Shape inputShape, String recipe, long seed, Map<String, String> settings) {
        int[] shape = new int[inputShape.dimension()];
        for (int a = 0; a < shape.length; a++) {
            shape[a] = Math.toIntExact(inputShape.get(a));
        }
        Map<String, String> s = new LinkedHashMap<>(settings);
        String method = "A2Q";
        // provisional provenance: shapes are inferred on partial builds; the method is known at the end
        IntegerModel.Builder b = IntegerModel.builder().setInput("input", shape).setProvenance(Provenance.handBuilt("A2Q"));
        String cur = "input";
        int[] curShape = shape;
        ActivationQuantizer curQuantizer = null; // quantizer whose integers `cur` holds; null: cur is float
        List<Block> children = new ArrayList<>(net.getChildren().values());
        // a quantizer already emitted ahead of the max pool(s) that precede it in the network
        ActivationQuantizer hoisted = null;
        for (int n = 0; n < children.size(); n++) {
            Block child = children.get(n);
            String prefix = "l" + n;
            if (child instanceof QuantizedActivation qa && hoisted != null && hoisted == qa.getQuantizer()) {
                hoisted = null;
            } else if (child instanceof QuantizedActivation qa) {
                requireFloat(curQuantizer, child, n);
                ActivationQuantizer q = qa.getQuantizer();
                b.addOp(quantize(prefix + "_quant", cur, q));
                cur = prefix + "_quant";
                curQuantizer = q;
            } else if (child instanceof QatPool pool && pool.getPoolKind() != PoolOp.Kind.MAX) {
                checkPool(pool, n);
                if (curQuantizer != null) {
                    // the block averages the float values q·s that QReLU/QIdentity output: the same float32 product
                    b.addOp(new DequantizeScaledOp(prefix + "_deq", cur, curQuantizer.scaleValue(), new float[] {1f}, null));
                    cur = prefix + "_deq";
                    curQuantizer = null;
                }
                int[] window = ints(pool.getWindow());
                if (curShape.length != window.length + 1) {
                    throw new IllegalArgumentException("block #" + n + " (QatPool) has a " + window.length + "-D window but a"
                            + " per-sample input of shape " + Arrays.toString(curShape));
                }
                b.addOp(new PoolOp(prefix + "_avg", cur, PoolOp.Kind.FLOAT_AVG, window, ints(pool.getStride()), 64));
                cur = prefix + "_avg";
                curShape = b.setOutput(cur).build().tensor(cur).shape();
            } else if (child instanceof QatPool pool) {
                checkPool(pool, n);
                if (curQuantizer == null) {
                    // max(Q(x)) = Q(max(x)): quantize with the next block's quantizer first, then pool the integers
                    ActivationQuantizer next = quantizerAfterPools(children, n);
                    b.addOp(quantize(prefix + "_quant", cur, next));
                    cur = prefix + "_quant";
                    curQuantizer = next;
                    hoisted = next;
                }
                int[] window = ints(pool.getWindow());
                if (curShape.length != window.length + 1) {
                    throw new IllegalArgumentException("block #" + n + " (QatPool) has a " + window.length + "-D window but a"
                            + " per-sample input of shape " + Arrays.toString(curShape));
                }
                b.addOp(new PoolOp(prefix + "_pool", cur, PoolOp.Kind.MAX, window, ints(pool.getStride()), 64));
                cur = prefix + "_pool";
                curShape = b.setOutput(cur).build().tensor(cur).shape();
            } else if (child instanceof QatFlatten
                    || child instanceof ai.djl.nn.LambdaBlock lb && "batchFlatten".equals(lb.getName())) {
                // row-major reshape: the integers (and their quantizer) unchanged
                b.addOp(new FlattenOp(prefix + "_flat", cur));
                cur = prefix + "_flat";
                curShape = new int[] {Arrays.stream(curShape).reduce(1, Math::multiplyExact)};
            } else if (child instanceof AbstractQLayer layer) {
                if (layer.ownsInputQuantizer() && hoisted != null && hoisted == layer.getInputQuantizer()) {
                    hoisted = null;
                } else if (layer.ownsInputQuantizer()) {
                    requireFloat(curQuantizer, child, n);
                    b.addOp(quantize(prefix + "_inquant", cur, layer.getInputQuantizer()));
                    cur = prefix + "_inquant";
                    curQuantizer = layer.getInputQuantizer();
                }
                if (curQuantizer == null || curQuantizer != layer.getInputQuantizer()) {
                    throw new IllegalArgumentException("block #" + n + " (" + child.getClass().getSimpleName() + ") does not read the"
                            + " integers of the quantizer directly before it: an integer export needs a quantized input");
                }
                if (layer.getVariant() == Variant.A2Q_PLUS) {
                    method = "A2Q+";
                }
                QuantizedWeights qw = layer.quantizedWeights();
                int[] w = flatten(qw.intWeights());
                A2qConstraint con = constraint(layer, qw);
                int bits = con == null ? 64 : layer.getAccumulatorBits();
                String acc = prefix + "_acc";
                if (child instanceof QLinear) {
                    if (curShape.length != 1) {
                        throw new IllegalArgumentException("block #" + n + " (QLinear) gets a per-sample input of shape "
                                + java.util.Arrays.toString(curShape) + "; export supports rank-1 inputs to QLinear");
                    }
                    int out = layer.getOutChannels();
                    b.addOp(new DenseOp(acc, cur, curShape[0], out, w, null, bits, con));
                    curShape = new int[] {out};
                } else if (child instanceof QConv1d || child instanceof QConv2d) {
                    ConvGeometry g = child instanceof QConv1d c1 ? c1.getGeometry() : ((QConv2d) child).getGeometry();
                    if (g.groups() != 1) {
                        throw new IllegalArgumentException("block #" + n + ": grouped convolution (groups = " + g.groups()
                                + ") is not supported by the integer format");
                    }
                    ConvOp op = new ConvOp(acc, cur, curShape[0], layer.getOutChannels(), ints(g.kernel()), ints(g.stride()),
                            ints(g.padding()), ints(g.dilation()), w, null, bits, con);
                    b.addOp(op);
                    curShape = b.setOutput(acc).build().tensor(acc).shape();
                } else {
                    throw new IllegalArgumentException("block #" + n + ": unsupported layer " + child.getClass().getName());
                }
                float[] bias = layer.getBias();
                b.addOp(new DequantizeScaledOp(prefix + "_out", acc, layer.getInputScale(), qw.scale(), bias));
                cur = prefix + "_out";
                curQuantizer = null;
                s.putIfAbsent(prefix + ".P", Integer.toString(layer.getAccumulatorBits()));
                s.putIfAbsent(prefix + ".M", Integer.toString(layer.getWeightBits()));
                s.putIfAbsent(prefix + ".N", Integer.toString(layer.getInputBits()));
                s.putIfAbsent(prefix + ".variant", layer.getVariant().name());
            } else {
                throw new IllegalArgumentException("block #" + n + " (" + child.getClass().getName() + ") cannot be exported: supported are"
                        + " QIdentity, QReLU, QLinear, QConv1d, QConv2d, QatPool (no padding), QatFlatten and"
                        + " Blocks.batchFlattenBlock()");
            }
        }
        if (curQuantizer != null) {
            throw new IllegalArgumentException("the network ends with an activation quantizer; export expects a final QLinear/QConv");
        }
        IntegerModel m = b.setProvenance(new Provenance(method, recipe, seed, LibraryVersion.VERSION, s)).setOutput(cur).build();
        return AccumulatorWidths.deriveMinimal(m);
    }

    private static void checkPool(QatPool pool, int n) {
        for (long pad : pool.getPadding().getShape()) {
            if (pad != 0) {
                throw new IllegalArgumentException("block #" + n + " (QatPool) pads by " + pool.getPadding()
                        + "; the integer format pools without padding");
            }
        }
    }

    /** The quantizer of the first block after the max pools starting at {@code n}; refused if it does not quantize. */
    private static ActivationQuantizer quantizerAfterPools(List<Block> children, int n) {
        int j = n;
        while (j < children.size() && children.get(j) instanceof QatPool) {
            j++;
        }
        Block next = j < children.size() ? children.get(j) : null;
        if (next instanceof QuantizedActivation qa) {
            return qa.getQuantizer();
        }
        if (next instanceof AbstractQLayer layer && layer.ownsInputQuantizer()) {
            return layer.getInputQuantizer();
        }
        throw new IllegalArgumentException("block #" + n + " (QatPool) pools float values and the block after it ("
                + (next == null ? "end of network" : next.getClass().getSimpleName()) + ") does not quantize them;"
                + " the integer format pools integers: put the pool after a QReLU/QIdentity or before a quantizing block");
    }

    private static void requireFloat(ActivationQuantizer cur, Block child, int n) {
        if (cur != null) {
            throw new IllegalArgumentException("block #" + n + " (" + child.getClass().getSimpleName() + ") quantizes an input that is"
                    + " already quantized; the integer format expects a dot product between two activation quantizers");
        }
    }

    private static QuantizeScaledOp quantize(String name, String input, ActivationQuantizer q) {
        return new QuantizeScaledOp(name, input, q.scaleValue(), q.getBits(), q.isSigned(), false);
    }

    private static A2qConstraint constraint(AbstractQLayer layer, QuantizedWeights qw) {
        return switch (layer.getVariant()) {
            case A2Q -> new A2qConstraint(A2qConstraint.Variant.A2Q, qw.inputBits(), qw.inputSigned(), qw.weightBits());
            case A2Q_PLUS -> new A2qConstraint(A2qConstraint.Variant.A2Q_PLUS, qw.inputBits(), qw.inputSigned(), qw.weightBits());
            default -> null;
        };
    }

    private static int[] flatten(long[][] w) {
        int k = w.length == 0 ? 0 : w[0].length;
        int[] out = new int[w.length * k];
        for (int c = 0; c < w.length; c++) {
            for (int j = 0; j < k; j++) {
                out[c * k + j] = Math.toIntExact(w[c][j]);
            }
        }
        return out;
    }

    private static int[] ints(Shape s) {
        int[] out = new int[s.dimension()];
        for (int a = 0; a < out.length; a++) {
            out[a] = Math.toIntExact(s.get(a));
        }
        return out;
    }
}
