package org.qat4j.ptq.apply;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.ptq.kernel.SparqSettings;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.SparqOp;

/**
 * SPARQ (arXiv 2105.11010) on a PTQ twin: every layer that reads the unsigned 8-bit activations of the quantizer
 * before it (a QReLU; not the first layer, whose input quantizer it owns) gets SPARQ in front of it — a
 * {@link SparqActivation} block in the DJL network and a {@code sparq} op in the integer model, at the same
 * sites, so the export pipeline compares the two bit for bit.
 */
public final class SparqNetwork {
    private SparqNetwork() {}

    /** Top-level child indices of the layers SPARQ serves. */
    public static List<Integer> sites(PtqTwin twin) {
        List<Integer> out = new ArrayList<>();
        List<Block> children = twin.children();
        for (int n = 0; n < children.size(); n++) {
            if (children.get(n) instanceof AbstractQLayer layer && !layer.ownsInputQuantizer()) {
                ActivationQuantizer q = layer.getInputQuantizer();
                if (q != null && !q.isSigned() && q.getBits() == SparqSettings.INPUT_BITS) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** The twin's network with a {@link SparqActivation} before every site (the twin's own blocks, shared). */
    public static SequentialBlock block(PtqTwin twin, SparqSettings settings) {
        List<Integer> sites = sites(twin);
        SequentialBlock b = new SequentialBlock();
        List<Block> children = twin.children();
        for (int n = 0; n < children.size(); n++) {
            if (sites.contains(n)) {
                b.add(new SparqActivation(((AbstractQLayer) children.get(n)).getInputQuantizer(), settings));
            }
            b.add(children.get(n));
        }
        return b;
    }

    /**
     * The twin's integer model with a {@code sparq} op {@code l<n>_sparq} in front of the accumulating op
     * {@code l<n>_acc} of every site (the A2Q exporter's names).
     */
    public static IntegerModel insertOps(IntegerModel model, List<Integer> sites, SparqSettings settings) {
        IntegerModel.Builder b = model.toBuilder().clearOps();
        int inserted = 0;
        for (ModelOp op : model.ops()) {
            int site = siteOf(op, sites);
            if (site < 0) {
                b.addOp(op);
                continue;
            }
            String name = "l" + site + "_sparq";
            b.addOp(new SparqOp(
                    name,
                    op.inputs().get(0),
                    SparqSettings.INPUT_BITS,
                    SparqSettings.WINDOW_BITS,
                    settings.placements(),
                    settings.rounding(),
                    settings.pairs()));
            if (op instanceof DenseOp d) {
                b.addOp(new DenseOp(
                        d.name(),
                        name,
                        d.inFeatures(),
                        d.outFeatures(),
                        d.weights(),
                        d.bias(),
                        d.accumulatorBits(),
                        d.constraint()));
            } else {
                ConvOp c = (ConvOp) op;
                b.addOp(new ConvOp(
                        c.name(),
                        name,
                        c.inChannels(),
                        c.outChannels(),
                        c.kernel(),
                        c.stride(),
                        c.padding(),
                        c.dilation(),
                        c.weights(),
                        c.bias(),
                        c.accumulatorBits(),
                        c.constraint()));
            }
            inserted++;
        }
        if (inserted != sites.size()) {
            throw new IllegalStateException(
                    "inserted " + inserted + " sparq ops, expected " + sites.size() + " (exporter op names changed?)");
        }
        return b.build();
    }

    private static int siteOf(ModelOp op, List<Integer> sites) {
        if (!(op instanceof DenseOp) && !(op instanceof ConvOp)) {
            return -1;
        }
        for (int n : sites) {
            if (op.name().equals("l" + n + "_acc")) {
                return n;
            }
        }
        return -1;
    }
}
