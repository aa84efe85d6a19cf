package org.qat4j.hgq.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.function.UnaryOperator;
import org.qat4j.hgq.kernel.ParameterScope;

/**
 * The batch norm an HGQ layer folds into its kernel and bias (HGQ's *BatchNorm layers, arXiv 2405.00645
 * §4.3): its four parameters ({@code bn_gamma}, {@code bn_beta}, {@code bn_running_mean},
 * {@code bn_running_var}, registered on the layer in this order, after its weight and bias); the folding
 * itself is {@link BatchNormFolding}.
 */
final class FusedBatchNorm {

    final Parameter gamma;
    final Parameter beta;
    final Parameter runningMean;
    final Parameter runningVar;

    /** Registers the parameters through {@code add} (the layer's {@code addParameter}). */
    FusedBatchNorm(UnaryOperator<Parameter> add) {
        gamma = add.apply(Parameter.builder()
                .setName("bn_gamma")
                .setType(Parameter.Type.GAMMA)
                .build());
        beta = add.apply(Parameter.builder()
                .setName("bn_beta")
                .setType(Parameter.Type.BETA)
                .build());
        runningMean = add.apply(Parameter.builder()
                .setName("bn_running_mean")
                .setType(Parameter.Type.RUNNING_MEAN)
                .optRequiresGrad(false)
                .build());
        runningVar = add.apply(Parameter.builder()
                .setName("bn_running_var")
                .setType(Parameter.Type.RUNNING_VAR)
                .optRequiresGrad(false)
                .build());
    }

    /** One value per output channel. */
    void setShapes(Shape channels) {
        gamma.setShape(channels);
        beta.setShape(channels);
        runningMean.setShape(channels);
        runningVar.setShape(channels);
    }

    /**
     * (W', b') with batch statistics of {@code unnormalized} in training (running statistics updated in
     * place) and running statistics otherwise; parameter arrays are lent to {@code scope}.
     *
     * @param unnormalized computes {@code op(x, W)} without bias, called in training only
     */
    NDArray[] fold(
            ParameterStore ps,
            ParameterScope scope,
            NDArray w,
            NDArray b,
            NDArray like,
            boolean training,
            java.util.function.Supplier<NDArray> unnormalized,
            long channels,
            float momentum,
            float epsilon) {
        NDArray g = value(ps, gamma, like, training);
        NDArray shift = value(ps, beta, like, training);
        NDArray rMean = value(ps, runningMean, like, training);
        NDArray rVar = value(ps, runningVar, like, training);
        scope.lend(g, shift, rMean, rVar);
        NDArray[] stats = training
                ? BatchNormFolding.batchStatistics(unnormalized.get(), channels, rMean, rVar, momentum)
                : new NDArray[] {rMean, rVar};
        return BatchNormFolding.fold(w, b, g, shift, stats[0], stats[1], epsilon);
    }

    static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
        return ps == null ? p.getArray() : ps.getValue(p, like.getDevice(), training);
    }
}
