package org.qat4j.runtime.model;

/**
 * Derives accumulator widths instead of constraining them (HGQ, arXiv 2405.00645 §10: the
 * reference derives accumulator widths by interval arithmetic from the constant weights and the
 * input formats): returns a copy of a model whose dense/conv/add/avgpool ops declare the smallest
 * signed width that holds every partial sum of every channel, per {@link RangeAnalysis} (multipoint:
 * the point and the combination widths). Layers
 * with an A2Q/A2Q+ constraint keep their trained P (it is part of their bound).
 */
public final class AccumulatorWidths {
    private AccumulatorWidths() {}

    /** The model with minimal declared widths. */
    public static IntegerModel deriveMinimal(IntegerModel model) {
        RangeAnalysis ra = RangeAnalysis.of(model);
        IntegerModel.Builder b = model.toBuilder().clearOps();
        for (ModelOp op : model.ops()) {
            RangeAnalysis.Accumulator a = ra.accumulator(op.name());
            if (op instanceof MultipointDenseOp m) {
                b.addOp(multipointWithBits(m, minimalBits(ra.accumulator(m.pointsName())), minimalBits(a)));
                continue;
            }
            if (a == null) {
                b.addOp(op);
                continue;
            }
            b.addOp(withBits(op, minimalBits(a)));
        }
        return b.build();
    }

    private static int minimalBits(RangeAnalysis.Accumulator a) {
        int bits = 2;
        for (int c = 0; c < a.partialMin().length; c++) {
            bits = Math.max(bits, RangeAnalysis.signedBitsNeeded(a.partialMin()[c], a.partialMax()[c]));
        }
        return bits;
    }

    /** A copy of a multipoint op with other declared point and combination widths. */
    public static MultipointDenseOp multipointWithBits(MultipointDenseOp m, int pointBits, int bits) {
        return new MultipointDenseOp(
                m.name(),
                m.input(),
                m.inFeatures(),
                m.outFeatures(),
                m.weightBits(),
                m.points(),
                m.codes(),
                m.multipliers(),
                m.bias(),
                pointBits,
                bits);
    }

    /** A copy of an accumulating op with another declared width (A2Q layers included). */
    public static ModelOp withBits(ModelOp op, int bits) {
        if (op instanceof DenseOp d) {
            return d.constraint() != null
                    ? d
                    : new DenseOp(
                            d.name(), d.input(), d.inFeatures(), d.outFeatures(), d.weights(), d.bias(), bits, null);
        }
        if (op instanceof ConvOp c) {
            return c.constraint() != null
                    ? c
                    : new ConvOp(
                            c.name(),
                            c.input(),
                            c.inChannels(),
                            c.outChannels(),
                            c.kernel(),
                            c.stride(),
                            c.padding(),
                            c.dilation(),
                            c.weights(),
                            c.bias(),
                            bits,
                            null);
        }
        if (op instanceof AddOp a) {
            return new AddOp(a.name(), a.a(), a.b(), bits);
        }
        if (op instanceof PoolOp p) {
            return new PoolOp(p.name(), p.input(), p.kind(), p.window(), p.stride(), bits);
        }
        if (op instanceof EmbeddingOp e) {
            return new EmbeddingOp(
                    e.name(),
                    e.input(),
                    e.rows(),
                    e.dim(),
                    e.codeBits(),
                    e.kind(),
                    e.codes(),
                    e.scale(),
                    e.offset(),
                    e.codebook(),
                    bits);
        }
        if (op instanceof MultipointDenseOp m) {
            return multipointWithBits(m, m.pointAccumulatorBits(), bits);
        }
        throw new IllegalArgumentException("op '" + op.name() + "' (" + op.opType() + ") has no accumulator");
    }

    /** A copy of an accumulating op with another declared width, even for A2Q layers (tests, tampering). */
    public static ModelOp forceBits(ModelOp op, int bits) {
        if (op instanceof DenseOp d) {
            return new DenseOp(
                    d.name(), d.input(), d.inFeatures(), d.outFeatures(), d.weights(), d.bias(), bits, d.constraint());
        }
        if (op instanceof ConvOp c) {
            return new ConvOp(
                    c.name(),
                    c.input(),
                    c.inChannels(),
                    c.outChannels(),
                    c.kernel(),
                    c.stride(),
                    c.padding(),
                    c.dilation(),
                    c.weights(),
                    c.bias(),
                    bits,
                    c.constraint());
        }
        return withBits(op, bits);
    }

    /** A copy of a dense/conv op with other weights. */
    public static ModelOp withWeights(ModelOp op, int[] w) {
        if (op instanceof DenseOp d) {
            return new DenseOp(
                    d.name(),
                    d.input(),
                    d.inFeatures(),
                    d.outFeatures(),
                    w,
                    d.bias(),
                    d.accumulatorBits(),
                    d.constraint());
        }
        if (op instanceof ConvOp c) {
            return new ConvOp(
                    c.name(),
                    c.input(),
                    c.inChannels(),
                    c.outChannels(),
                    c.kernel(),
                    c.stride(),
                    c.padding(),
                    c.dilation(),
                    w,
                    c.bias(),
                    c.accumulatorBits(),
                    c.constraint());
        }
        throw new IllegalArgumentException("op '" + op.name() + "' (" + op.opType() + ") has no weights");
    }

    /** A copy of {@code model} with op {@code name} replaced. */
    public static IntegerModel replace(IntegerModel model, String name, ModelOp replacement) {
        IntegerModel.Builder b = model.toBuilder().clearOps();
        for (ModelOp op : model.ops()) {
            b.addOp(op.name().equals(name) ? replacement : op);
        }
        return b.build();
    }
}
