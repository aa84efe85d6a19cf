package org.qat4j.ptq.apply;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/** The calibration cross-entropy and accuracy of a twin (evaluation mode), LAPQ's objective (arXiv 1911.07190, §4). */
public final class CalibrationLoss {

    private static final Loss CROSS_ENTROPY = Loss.softmaxCrossEntropyLoss();

    private CalibrationLoss() {}

    /** Mean softmax cross-entropy of the twin's logits on the calibration set. */
    public static double crossEntropy(PtqTwin twin, NDManager manager, CalibrationSet data) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray logits = twin.forward(scope, data.inputs());
            NDArray loss = CROSS_ENTROPY.evaluate(new NDList(data.labels()), new NDList(logits));
            return loss.toType(DataType.FLOAT64, false).getDouble();
        }
    }

    /** Arg-max accuracy of the twin on the calibration set. */
    public static double accuracy(PtqTwin twin, NDManager manager, CalibrationSet data) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray logits = twin.forward(scope, data.inputs());
            NDArray pred = logits.argMax(1).toType(DataType.INT64, false);
            NDArray labels = data.labels().toType(DataType.INT64, false);
            return pred.eq(labels).sum().toType(DataType.FLOAT64, false).getDouble() / data.size();
        }
    }
}
