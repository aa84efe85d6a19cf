package org.qat4j.onnx;

/** The two ONNX graph forms qat4j writes. */
public enum OnnxForm {
    /**
     * QuantizeLinear → DequantizeLinear around float MatMul/Conv (the pattern ONNX Runtime and
     * TensorRT-style compilers recognise), 8-bit operands, per-channel weight scales on axis 0, zero
     * points 0, the bias on the {@code s_x · s_w} grid; written only where the certificate proves every
     * partial sum an integer below 2^24 on that grid.
     */
    QCDQ("qcdq"),
    /**
     * Mantissas carried as exact float32/float64 values, rounding and overflow modes spelled out with
     * Floor/compare/Mod nodes: any model the integer runtime runs.
     */
    EXACT_FIXED_POINT("exact-fixed-point");

    private final String label;

    OnnxForm(String label) {
        this.label = label;
    }

    /** The name printed and stored in the model's metadata. */
    public String label() {
        return label;
    }

    /** The form called {@code label}. */
    public static OnnxForm byLabel(String label) {
        for (OnnxForm f : values()) {
            if (f.label.equals(label)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown ONNX form '" + label + "'; known: qcdq, exact-fixed-point");
    }
}
