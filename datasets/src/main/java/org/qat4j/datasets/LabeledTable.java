package org.qat4j.datasets;

import java.util.List;

/**
 * A table of numeric features and one class label per row, as read from a CSV or ARFF file.
 *
 * @param featureNames names of the feature columns, in file order
 * @param features row-major values, {@code rows × featureNames.size()}
 * @param labels class index per row, into {@code classNames}
 * @param classNames class names: an ARFF nominal attribute's declared order, else sorted
 */
public record LabeledTable(List<String> featureNames, float[] features, int[] labels, List<String> classNames) {

    /** Copies the name lists. */
    public LabeledTable {
        featureNames = List.copyOf(featureNames);
        classNames = List.copyOf(classNames);
        if ((long) labels.length * featureNames.size() != features.length) {
            throw new IllegalArgumentException("features has " + features.length + " values; expected " + labels.length
                    + " rows × " + featureNames.size() + " columns");
        }
    }

    /** Number of rows. */
    public int rows() {
        return labels.length;
    }

    /** Number of feature columns. */
    public int columns() {
        return featureNames.size();
    }
}
