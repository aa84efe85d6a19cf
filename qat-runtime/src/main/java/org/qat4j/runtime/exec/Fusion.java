package org.qat4j.runtime.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.runtime.model.Granularity;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.RangeAnalysis;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;

/**
 * What {@link IntegerRuntime#runFloat}/{@code runInt} execute instead of one kernel per op (which
 * {@code trace} keeps), computing the same integers:
 * <ol>
 *   <li>every {@code relu → requantize_fixed} pair on an integer tensor whose ReLU output feeds nothing
 *       else becomes one requantizer that applies {@code max(m, 0)} first (the ReLU's tensor is not formed);</li>
 *   <li>a quantizer ({@code quantize_fixed} or such a requantizer) whose output feeds only the dense layer
 *       after it, on a packed arithmetic, writes that layer's operand type ({@code float[]}, {@code int[]},
 *       {@code double[]}: 4 or 8 bytes an element instead of a {@code long}) when the range analysis proves
 *       every element of its tensor exact in that type; the layer multiplies it in place.</li>
 * </ol>
 */
final class Fusion {
    private Fusion() {}

    /** The requantizer of {@code q}, reading slot {@code src} whose proven range is {@code inputRange}. */
    static RequantizeFixedKernel requantize(
            IntegerModel model, RequantizeFixedOp q, int src, int dst, long[][] inputRange, boolean relu) {
        int[] shape = model.tensor(q.name()).shape();
        return new RequantizeFixedKernel(
                Granularity.expand(q.inputFrac(), shape, q.name() + ".inputFrac"),
                q.formats().expand(shape, q.name()),
                q.rounding(),
                q.overflow(),
                inputRange,
                relu,
                src,
                dst);
    }

    /** The kernels {@code run} executes, from {@code kernels} (one per op, in model order). */
    static List<Kernel> fuse(IntegerModel model, List<Kernel> kernels, Map<String, Integer> slots, RangeAnalysis ra) {
        List<ModelOp> ops = model.ops();
        Map<String, Integer> uses = new HashMap<>();
        for (ModelOp op : ops) {
            for (String in : op.inputs()) {
                uses.merge(in, 1, Integer::sum);
            }
        }
        List<Kernel> out = new ArrayList<>();
        // the tensor each kernel of out produces
        List<String> produces = new ArrayList<>();
        for (int k = 0; k < ops.size(); k++) {
            ModelOp op = ops.get(k);
            ModelOp next = k + 1 < ops.size() ? ops.get(k + 1) : null;
            if (op instanceof ReluOp
                    && next instanceof RequantizeFixedOp q
                    && q.input().equals(op.name())
                    && uses.getOrDefault(op.name(), 0) == 1
                    && !op.name().equals(model.outputName())
                    && ra.range(op.inputs().get(0)) != null) {
                out.add(requantize(
                        model,
                        q,
                        slots.get(op.inputs().get(0)),
                        slots.get(q.name()),
                        ra.range(op.inputs().get(0)),
                        true));
                produces.add(q.name());
                k++;
            } else {
                out.add(kernels.get(k));
                produces.add(op.name());
            }
        }
        for (int k = 0; k + 1 < out.size(); k++) {
            String tensor = produces.get(k);
            if (out.get(k + 1) instanceof DenseKernel dense
                    && dense.operandType() != null
                    && model.op(produces.get(k + 1)).inputs().get(0).equals(tensor)
                    && uses.getOrDefault(tensor, 0) == 1
                    && !tensor.equals(model.outputName())
                    && within(ra.range(tensor), dense.operandLimit())) {
                if (out.get(k) instanceof QuantizeFixedKernel q) {
                    out.set(k, q.writing(dense.operandType()));
                } else if (out.get(k) instanceof RequantizeFixedKernel q) {
                    out.set(k, q.writing(dense.operandType()));
                }
            }
        }
        return out;
    }

    /** Whether every element's proven interval lies within {@code ±limit}. */
    private static boolean within(long[][] range, long limit) {
        if (range == null) {
            return false;
        }
        for (int e = 0; e < range[0].length; e++) {
            if (range[0][e] < -limit || range[1][e] > limit) {
                return false;
            }
        }
        return true;
    }
}
