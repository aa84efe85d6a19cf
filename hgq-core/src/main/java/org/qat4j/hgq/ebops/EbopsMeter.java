package org.qat4j.hgq.ebops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.dataset.Dataset;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.hgq.calib.HgqCalibration;
import org.qat4j.hgq.nn.HgqLayer;

/**
 * EBOPs measurements for training hooks (arXiv 2405.00645, §5): the cheap float estimate for a β
 * controller, and the exact integer figure after calibration for a Pareto checkpointer
 * ({@code ParetoCheckpointer.builder().setCost(() -> EbopsMeter.exactAfterCalibration(...))}).
 */
public final class EbopsMeter {

    private EbopsMeter() {}

    /** Sum of every HGQ layer's differentiable EBOPs estimate, as a double (no gradient). */
    public static double estimate(Block root) {
        double total = 0;
        try (NDManager m = NDManager.newBaseManager();
                NoGradScope ignored = NoGradScope.open()) {
            for (HgqLayer layer : BlockTrees.find(root, HgqLayer.class)) {
                NDArray e = layer.ebopsEstimate(m);
                total += e.toType(DataType.FLOAT64, false).getDouble();
            }
        }
        return total;
    }

    /**
     * Calibrates on {@code calibration} (trace min/max) and returns the exact EBOPs of the model.
     *
     * @param root the model's block
     * @param manager manager for the calibration batches
     * @param calibration the calibration data (typically the training or validation set)
     * @return exact EBOPs
     */
    public static long exactAfterCalibration(Block root, NDManager manager, Dataset calibration) {
        HgqCalibration.traceMinMax(root, manager, calibration);
        return EbopsReport.of(root).total();
    }
}
