package org.qat4j.convert;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.util.List;
import org.qat4j.a2q.method.A2qMethod;
import org.qat4j.core.method.QatMethod;
import org.qat4j.hgq.method.HgqMethod;

/**
 * The result of {@link QatModels#wrap}: the initialized quantization-aware twin (a flat
 * {@link SequentialBlock}, the form the HGQ and A2Q exporters read), the policy used, the layers that
 * were replaced, and the input shape the twin was initialized with.
 *
 * @param block the twin, parameters already carrying the float model's trained values
 * @param policy the policy
 * @param layers every dense/convolution layer and its replacement, in forward order
 * @param inputShape the input shape (with batch axis) the twin was initialized with
 */
public record WrappedModel(
        SequentialBlock block, QuantizationPolicy policy, List<ConvertedLayer> layers, Shape inputShape) {

    public WrappedModel {
        layers = List.copyOf(layers);
    }

    /**
     * The twin's quantization method: {@link HgqMethod} (without a β ramp: the policy set β on the layers)
     * or {@link A2qMethod}; its {@code export} and {@link org.qat4j.core.export.ExportPipeline} take the twin.
     */
    public QatMethod method() {
        return policy.getMethod() == QuantizationPolicy.Method.HGQ
                ? HgqMethod.builder().build()
                : A2qMethod.create();
    }

    /** The per-sample input shape (without the batch axis), as the exporters take it. */
    public Shape sampleShape() {
        return inputShape.slice(1);
    }
}
