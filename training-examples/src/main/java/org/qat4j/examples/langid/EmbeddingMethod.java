package org.qat4j.examples.langid;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.qat4j.ptq.rows.RowwiseQuantizer;

/**
 * The row-wise embedding methods of {@code qat ptq METHOD --recipe langid} (arXiv 1911.02079): 8-bit min/max rows,
 * 4-bit greedy-search rows (the paper's), 4-bit min/max rows, 4-bit k-means codebooks, 2-bit greedy rows.
 */
public enum EmbeddingMethod {
    /** 8-bit rows, min/max range. */
    ROWS8("rows8", "8-bit min/max", RowwiseQuantizer.Method.MINMAX, 8),
    /** 4-bit rows, greedy range search (200 bins, shrink ≤ 16%). */
    ROWS4("rows4", "4-bit greedy", RowwiseQuantizer.Method.GREEDY, 4),
    /** 4-bit rows, min/max range. */
    ROWS4_MINMAX("rows4-minmax", "4-bit min/max", RowwiseQuantizer.Method.MINMAX, 4),
    /** 16 centroids per row (k-means++). */
    CODEBOOK("codebook", "4-bit codebook", RowwiseQuantizer.Method.CODEBOOK, 4),
    /** 2-bit rows, greedy range search. */
    ROWS2("rows2", "2-bit greedy", RowwiseQuantizer.Method.GREEDY, 2);

    /** The only recipe these methods quantize. */
    public static final String RECIPE = "langid";

    private final String cliName;
    private final String label;
    private final RowwiseQuantizer.Method method;
    private final int bits;

    EmbeddingMethod(String cliName, String label, RowwiseQuantizer.Method method, int bits) {
        this.cliName = cliName;
        this.label = label;
        this.method = method;
        this.bits = bits;
    }

    /** The name on the command line. */
    public String cliName() {
        return cliName;
    }

    /** The row label of the results table. */
    public String label() {
        return label;
    }

    /** The row quantizer. */
    public RowwiseQuantizer.Method method() {
        return method;
    }

    /** Code bits. */
    public int bits() {
        return bits;
    }

    /** The method called {@code name}, or null. */
    public static EmbeddingMethod find(String name) {
        for (EmbeddingMethod m : values()) {
            if (m.cliName.equalsIgnoreCase(name)) {
                return m;
            }
        }
        return null;
    }

    /** The names, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(EmbeddingMethod::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }
}
