package org.qat4j.bench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import org.qat4j.hgq.kernel.ParameterScope;

/**
 * The lower bound of an HGQ dense layer's training step, for {@link HgqTrainStepBenchmark}: a float
 * {@code Linear} (+ ReLU) that also carries HGQ's trainable bit tensors — one per weight, one per input
 * feature (arXiv 2405.00645, §3.2) — into the graph with the fewest recorded operations that give them a
 * gradient ({@code w + (f_w − stopgrad(f_w))}, likewise for the input), and no quantization arithmetic at
 * all. Its outputs equal the float layer's; the optimizer updates twice as many parameters. Not a model:
 * a yardstick of what any HGQ layer on DJL's op-by-op autograd must at least cost.
 */
final class BitCarryingLinear extends AbstractBlock {

    private final long units;
    private final boolean relu;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter weightBits;
    private final Parameter inputBits;

    BitCarryingLinear(long units, boolean relu) {
        this.units = units;
        this.relu = relu;
        weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .build());
        bias = addParameter(
                Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
        weightBits = addParameter(Parameter.builder()
                .setName("fbits_w")
                .setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(8))
                .build());
        inputBits = addParameter(Parameter.builder()
                .setName("fbits_x")
                .setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(6))
                .build());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long in = inputShapes[0].get(1);
        weight.setShape(new Shape(units, in));
        bias.setShape(new Shape(units));
        weightBits.setShape(new Shape(units, in));
        inputBits.setShape(new Shape(1, in));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDManager outer = x.getManager();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        NDArray fw = ps.getValue(weightBits, x.getDevice(), training);
        NDArray fx = ps.getValue(inputBits, x.getDevice(), training);
        try (ParameterScope ignored = ParameterScope.open(outer, w, b, fw, fx)) {
            NDArray xb = x.add(fx.sub(fx.stopGradient()));
            NDArray wb = fw.sub(fw.stopGradient()).addi(w);
            NDArray out = Linear.linear(xb, wb, b).singletonOrThrow();
            if (relu) {
                out = Activation.relu(out);
            }
            out.attach(outer);
            return new NDList(out);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), units)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
