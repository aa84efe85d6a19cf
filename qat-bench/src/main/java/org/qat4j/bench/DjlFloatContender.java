package org.qat4j.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import org.qat4j.core.engine.NoGradScope;

/**
 * The plain float32 DJL network in evaluation mode, without autograd (the PyTorch engine's no-grad
 * mode): what a DJL user deploys. Each call creates the input NDArray from the float array and copies
 * the output back, as the integer runtime's {@code float[]} interface does.
 */
final class DjlFloatContender implements Contender {
    private final BenchNetwork spec;
    private final SequentialBlock net;
    private final NDManager manager;
    private final ParameterStore ps;

    DjlFloatContender(BenchNetwork spec, SequentialBlock net, NDManager manager) {
        this.spec = spec;
        this.net = net;
        this.manager = manager;
        this.ps = new ParameterStore(manager, false);
    }

    @Override
    public String name() {
        return "DJL float32";
    }

    @Override
    public float[] run(float[] input, int batch) {
        try (NoGradScope ignored = NoGradScope.open();
                NDManager s = manager.newSubManager()) {
            NDList out = net.forward(ps, new NDList(s.create(input, spec.batchShape(batch))), false);
            return out.singletonOrThrow().toFloatArray();
        }
    }
}
