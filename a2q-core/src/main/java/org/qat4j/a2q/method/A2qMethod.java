package org.qat4j.a2q.method;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.qat4j.a2q.export.A2qExporter;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.nn.QConv1d;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.quant.QuantizedWeights;
import org.qat4j.core.method.BitStatistics;
import org.qat4j.core.method.LayerBits;
import org.qat4j.core.method.QatMethod;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.runtime.model.IntegerModel;

/**
 * A2Q and A2Q+ (arXiv 2308.13504, 2401.10432) as a {@link QatMethod}: the accumulator constraint lives
 * in the layers (L1-bounded weight normalization, §3), so the method adds no epoch hooks and needs no
 * calibration pass; it exports through {@link A2qExporter} and reports the uniform weight and input bit
 * widths of every layer.
 */
public final class A2qMethod implements QatMethod {

    private A2qMethod() {}

    /** The method (it has no settings of its own: the layers carry variant, M, N and P). */
    public static A2qMethod create() {
        return new A2qMethod();
    }

    @Override
    public String name() {
        return "A2Q";
    }

    @Override
    public IntegerModel export(Block block, Shape sampleShape, String recipe, long seed, Map<String, String> settings) {
        if (!(block instanceof SequentialBlock net)) {
            throw new IllegalArgumentException("A2Q export takes a SequentialBlock, got "
                    + block.getClass().getSimpleName());
        }
        return A2qExporter.export(net, sampleShape, recipe, seed, settings);
    }

    @Override
    public List<LayerBits> layerBits(Block block) {
        List<LayerBits> out = new ArrayList<>();
        int index = 0;
        for (AbstractQLayer layer : BlockTrees.find(block, AbstractQLayer.class)) {
            QuantizedWeights qw = layer.quantizedWeights();
            long weights = 0;
            for (long[] channel : qw.intWeights()) {
                weights += channel.length;
            }
            long taps = qw.intWeights()[0].length;
            String kind = layer instanceof QLinear ? "dense" : layer instanceof QConv1d ? "conv1d" : "conv2d";
            out.add(new LayerBits(
                    kind + index++ + " (" + layer.getVariant().cliName() + ")",
                    kind,
                    BitStatistics.uniform(layer.getWeightBits(), weights),
                    BitStatistics.uniform(layer.getInputBits(), taps)));
        }
        return out;
    }
}
