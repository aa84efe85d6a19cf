package org.qat4j.ptq.apply;

import ai.djl.ndarray.NDArray;

/**
 * The calibration data of a PTQ run: inputs {@code [n, ...]} (training samples, never test samples) and their
 * integer class labels {@code [n]} (used by LAPQ's loss). The arrays belong to the caller.
 *
 * @param inputs calibration inputs
 * @param labels class labels (int or float), length n
 */
public record CalibrationSet(NDArray inputs, NDArray labels) {

    /** Validates the sample counts. */
    public CalibrationSet {
        if (inputs.getShape().get(0) != labels.getShape().get(0)) {
            throw new IllegalArgumentException(
                    "calibration inputs have " + inputs.getShape().get(0) + " samples, labels "
                            + labels.getShape().get(0));
        }
        if (inputs.getShape().get(0) < 1) {
            throw new IllegalArgumentException("calibration set is empty");
        }
    }

    /** n. */
    public int size() {
        return Math.toIntExact(inputs.getShape().get(0));
    }
}
