package org.qat4j.hgq.ebops;

import ai.djl.nn.Block;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.hgq.nn.AbstractHgqLayer;
import org.qat4j.hgq.nn.HgqLayer;

/**
 * Per-layer exact EBOPs of a model (HGQ, arXiv 2405.00645, §5: EBOPs ≈ #LUT + 55·#DSP for hls4ml's
 * latency strategy). Run {@link org.qat4j.hgq.calib.HgqCalibration#traceMinMax} first so that input
 * widths reflect the calibration data.
 *
 * @param layers one entry per HGQ layer, in block-tree order
 * @param total the sum (long arithmetic, overflow-checked)
 */
public record EbopsReport(List<LayerEbops> layers, long total) {

    public EbopsReport {
        layers = List.copyOf(layers);
    }

    /** Computes the report of every {@link HgqLayer} in the tree rooted at {@code root}. */
    public static EbopsReport of(Block root) {
        List<LayerEbops> out = new ArrayList<>();
        collect(root, root.getClass().getSimpleName(), out);
        long total = 0;
        for (LayerEbops l : out) {
            total = Math.addExact(total, l.ebops());
        }
        return new EbopsReport(out, total);
    }

    private static void collect(Block block, String path, List<LayerEbops> out) {
        if (block instanceof HgqLayer layer) {
            long weights = 0;
            long pruned = 0;
            if (block instanceof AbstractHgqLayer h) {
                var k = h.quantizedKernel();
                weights = k.size();
                pruned = k.zeros();
            }
            out.add(new LayerEbops(
                    path,
                    block.getClass().getSimpleName(),
                    layer.multiplications(),
                    weights,
                    pruned,
                    layer.exactEbops()));
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), path + "/" + child.getKey(), out);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                "%-32s %-12s %12s %10s %10s %14s%n", "layer", "type", "mults", "weights", "pruned", "EBOPs"));
        for (LayerEbops l : layers) {
            sb.append(String.format(
                    "%-32s %-12s %12d %10d %10d %14d%n",
                    l.name(), l.type(), l.multiplications(), l.weights(), l.prunedWeights(), l.ebops()));
        }
        sb.append(String.format("%-32s %-12s %12s %10s %10s %14d%n", "total", "", "", "", "", total));
        return sb.toString();
    }
}
